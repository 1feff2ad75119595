import pytest

from timeline.articles import decode_article, read_article
from timeline.errors import UnreadableArticle


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"Plain text.\n", "Plain text.\n"),
        ("\ufeffWith a BOM".encode(), "With a BOM"),
        (b"['One.', \"Two's\", 'Three\\'s']", "One.\n\nTwo's\n\nThree's"),
        (b"[1, 2]", "[1, 2]"),
        (b"[not python", "[not python"),
    ],
)
def test_decode_article(raw, text):
    assert decode_article(raw) == text


def test_undecodable_article_says_which_byte():
    with pytest.raises(UnreadableArticle, match=r"byte 3 \(0xff\) is not UTF-8"):
        decode_article(b"abc\xff")


def test_missing_article(tmp_path):
    with pytest.raises(UnreadableArticle, match="cannot read"):
        read_article(tmp_path / "missing.txt")


def test_scraped_list_seed_reads_as_paragraphs(root):
    text = read_article(root / "seeds" / "001_935721823d8254c9.txt")
    assert "in last week's counter-attack in the Kharkiv region" in text
    assert "\\'" not in text
