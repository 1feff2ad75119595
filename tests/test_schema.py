"""timeline/events.schema.json: generated from timeline/schema.py, and agreeing with the validator.

The schema only helps editors; `python -m timeline validate` is the authority. The shipped file
must equal the generation; the validator must accept and refuse what the JSON Schema does, field
by field and value by value (whole documents below); the model's classes must have the schema's
fields; the date and slug patterns must agree with timeline.dates.parse_date and SLUG.
"""

import copy
import dataclasses
import json
import subprocess
import sys

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.conftest import ROOT, parses_as_date
from timeline.dates import PARTS_OF_DAY, PARTS_OF_MONTH
from timeline.load import parse_timeline
from timeline.model import MODELS
from timeline.schema import (
    EVENT,
    JSON_SCHEMA_PATH,
    MAX_TITLE_CHARS,
    RECORDS,
    SLUG,
    Kind,
    json_schema,
    json_schema_text,
)

SCHEMA_PATH = ROOT / "timeline" / "events.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
DEFS = SCHEMA["$defs"]
VALIDATOR = Draft202012Validator(SCHEMA)


def _walk(node):
    """Every mapping inside the schema."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


# Shape of the schema


def test_shipped_file_is_the_generated_schema():
    assert JSON_SCHEMA_PATH == SCHEMA_PATH
    assert SCHEMA_PATH.read_text(encoding="utf-8") == json_schema_text(), (
        "timeline/events.schema.json is stale: run python scripts/write_json_schema.py"
    )


def test_schema_is_valid_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(json_schema())


def test_every_reference_resolves():
    refs = {node["$ref"] for node in _walk(SCHEMA) if "$ref" in node}
    assert refs == {f"#/$defs/{name}" for name in DEFS}, "a $ref is dangling or a $defs is unused"


def test_every_field_has_a_title_and_a_description():
    for node in _walk(SCHEMA):
        for name, field in node.get("properties", {}).items():
            assert field.get("title"), name
            assert field.get("description"), name


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_model_classes_have_the_schema_fields(kind):
    """Required fields have no default in the model; optional ones default to the schema's."""
    model = {
        field.name: field
        for field in dataclasses.fields(MODELS[kind])
        if field.name not in ("line", "position")  # where it was read, not what it says
    }
    record = RECORDS[kind]
    assert set(model) == set(record.names)
    for field in record.fields:
        default = model[field.name].default
        if field.required:
            assert default is dataclasses.MISSING, field.name
        elif field.kind in (Kind.TEXTS, Kind.REFS, Kind.RECORDS):
            assert default == (), field.name
        else:
            assert default == field.default, field.name


def test_the_writer_and_the_json_schema_order_event_fields_the_same():
    from timeline.write import EVENT_ORDER

    assert tuple(DEFS["event"]["properties"]) == EVENT_ORDER
    assert EVENT_ORDER[:3] == ("id", "title", "date")
    assert EVENT.table == {  # how messages list them: required fields first
        "id": True, "title": True, "date": True, "category": True, "sources": True,
        "stories": False, "actors": False, "places": False, "figures": False, "origin": False,
        "status": False, "notes": False, "links": False,
    }  # fmt: skip


# The date grammar: the schema's pattern and parse_date agree on the form

DATE_SCHEMA = Draft202012Validator(DEFS["date"])


def schema_accepts_date(text: str) -> bool:
    return DATE_SCHEMA.is_valid(text)


VALID_DATES = [
    "2022-09-11",
    "2024-02-29",
    "2022-12-31",
    "2022-W37",
    "2022-W01",
    "2020-W53",
    "2022-09",
    "2022-01",
    "2022-12",
    "2022",
    "2014",
    "0001",
    "9999",
    "~2022-09-10",
    "~2022-W37",
    "~2022-09 late",
    "~2022",
    "2022-09 early .. 2022-09-11",
    "2022-09-06 .. 2022-10-02",
    "2022-09-11 .. 2022-09-11",
    "2014 .. 2022-08",
    "2022-W45 .. 2022-11-15",
    "2022-09-10 night .. 2022-09-11 morning",
    "~2022-09-06 .. 2022-09-11",
    "~2022-08 late .. 2022-09-12",
    *(f"2022-09-11 {part}" for part in PARTS_OF_DAY),
    *(f"2022-09 {part}" for part in PARTS_OF_MONTH),
]


MALFORMED_DATES = [
    "",
    " ",
    "~",
    "22",
    "202",
    "20222",
    "+2022",
    "-2022",
    "0000",
    "0000-01-01",
    "2022-9",
    "2022-9-1",
    "2022-09-1",
    "2022-00",
    "2022-13",
    "2022-09-00",
    "2022-09-32",
    "2022/09/11",
    "11-09-2022",
    "20220911",
    "2022-09-11T10:00",
    "2022-09-11 10:30",
    "2022-09-11Z",
    "2022-W00",
    "2022-W54",
    "2022-W5",
    "2022-w37",
    "2022-W37-1",
    "2022-W37 night",
    "2022-09-11 Night",
    "2022-09-11 midnight",
    "2022-09-11 early",
    "2022-09-11  night",
    "2022-09 Early",
    "2022-09 end",
    "2022-09 night",
    "2022 early",
    "September 2022",
    "~~2022",
    "2022~",
    "~2022 .. ~2023",
    "2022 .. ~2023",
    "2022 .. 2023 .. 2024",
    "2022 ..",
    ".. 2022",
    "2022 ... 2023",
    "2022 - 2023",
    "2022 to 2023",
    pytest.param("２０２２-０９-１２", id="fullwidth-digits"),
    pytest.param("٢٠٢٢", id="arabic-indic-digits"),
]


@pytest.mark.parametrize("text", VALID_DATES)
def test_valid_date_forms_are_accepted_by_both(text):
    assert schema_accepts_date(text)
    assert parses_as_date(text)


@pytest.mark.parametrize("text", MALFORMED_DATES)
def test_malformed_dates_are_rejected_by_both(text):
    assert not schema_accepts_date(text)
    assert not parses_as_date(text)


# Kept out of the agreement tables: these have a valid *form*, so the schema's regex accepts
# them, but no such day, week or span exists. A regex cannot know month lengths, leap years,
# which years have 53 ISO weeks, or compare the two ends of a range; the validator does.
IMPOSSIBLE_DATES = [
    "2022-02-30",
    "2023-02-29",
    "2022-04-31",
    "2022-W53",
    "2022-02-29 night",
    "2022-09-12 .. 2022-09-11",
    "2022-10 .. 2022-09",
]


# Also kept out: spellings parse_date tolerates and normalises (tests/test_dates.py pins some of
# them), which the grammar of docs/data-model.md does not list. The schema follows the document,
# so an editor nudges towards the canonical form while the validator still accepts the file.
TOLERATED_DATES = [
    "2022-09-06..2022-09-11",
    "2022 ..2023",
    "2022  ..  2023",
    "2022\t..\t2023",
    "~ 2022-09-10",
    "  2022-10  ",
    "2022-09-11\n",
]


@pytest.mark.parametrize(
    ("text", "schema", "validator"),
    [(text, True, False) for text in IMPOSSIBLE_DATES]
    + [(text, False, True) for text in TOLERATED_DATES],
)
def test_schema_and_validator_differ_on_impossible_dates_and_tolerated_spellings(
    text, schema, validator
):
    assert (schema_accepts_date(text), parses_as_date(text)) == (schema, validator)


SLUG_SCHEMA = Draft202012Validator(DEFS["slug"])


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("a", True),
        ("2022", True),
        ("bbc-2022-09-12", True),
        ("part-of", True),
        ("", False),
        ("A", False),
        ("Bbc-2022", False),
        ("a_b", False),
        ("a--b", False),
        ("-a", False),
        ("a-", False),
        ("a b", False),
        ("a\n", False),
        ("é", False),
    ],
)
def test_slug_pattern_matches_the_validator(text, valid):
    assert SLUG_SCHEMA.is_valid(text) is valid
    assert (SLUG.fullmatch(text) is not None) is valid


# Whole documents: schema and validator agree on a small file and on its broken variants

MINIMAL = {
    "sources": [
        {"id": "src-1", "outlet": "BBC News", "headline": "Izium retaken",
         "published": "2022-09-12", "published_note": "x", "url": "https://example.org/a",
         "author": "A. Writer", "note": "A note."},
    ],
    "places": [
        {"id": "izium", "name": "Izium", "kind": "city", "region": "Kharkiv Oblast",
         "country": "Ukraine", "lat": 49.2, "lon": 37.3, "aliases": ["Izyum"]},
    ],
    "actors": [{"id": "ua-army", "name": "Armed Forces of Ukraine", "side": "ukraine",
                "aliases": ["ZSU"]}],
    "stories": [{"id": "kharkiv", "title": "Kharkiv", "date": "2022-09-06 .. 2022-10-02",
                 "description": "The counteroffensive."}],
    "events": [
        {
            "id": "izium-retaken",
            "title": "Ukraine retakes Izium",
            "date": "~2022-09-10",
            "stories": ["kharkiv"],
            "category": "advance",
            "actors": ["ua-army"],
            "places": ["izium"],
            "sources": [{"source": "src-1", "quote": "Izium was retaken", "quoted": "Kyiv",
                         "date": "2022-09-10"}],
            "figures": [
                {"measure": "settlements-retaken", "value": 20, "unit": "settlements",
                 "qualifier": "more-than", "claimed_by": "Kyiv", "claimant": "ua-army",
                 "source": "src-1"},
            ],
            "status": "reported",
            "origin": "curated",
            "notes": "Free text.",
            "links": [{"event": "kharkiv-blackout", "relation": "related"}],
        },
        {
            "id": "kharkiv-blackout",
            "title": "Strikes black out Kharkiv",
            "date": "2022-09-11 evening",
            "stories": ["kharkiv"],
            "category": "strike",
            "sources": [{"source": "src-1", "quote": "the lights went out"}],
            "links": [{"event": "izium-retaken", "relation": "response-to"}],
        },
    ],
}  # fmt: skip

DROP = object()


def _changed(path, value):
    """MINIMAL with the value at path replaced, or dropped."""
    document = copy.deepcopy(MINIMAL)
    target = document
    for key in path[:-1]:
        target = target[key]
    if value is DROP:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


def _validator_errors(document) -> list:
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    timeline = parse_timeline(text.encode("utf-8"), "minimal.yaml")
    return timeline.errors


def test_minimal_document_is_valid_for_both():
    assert list(VALIDATOR.iter_errors(MINIMAL)) == []
    assert _validator_errors(MINIMAL) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("notes",), "top-level field unknown to both"),
        (("events",), DROP),
        (("events", 0, "category"), DROP),
        (("events", 0, "category"), "attack"),
        (("events", 0, "status"), "rumoured"),
        (("events", 0, "origin"), "scraped"),
        (("events", 0, "colour"), "red"),
        (("events", 0, "id"), "Izium_Retaken"),
        (("events", 0, "title"), "x" * (MAX_TITLE_CHARS + 1)),
        (("events", 0, "title"), "   "),
        (("events", 0, "date"), "10 September 2022"),
        (("events", 0, "stories"), []),
        (("events", 0, "stories"), "kharkiv"),
        (("events", 0, "sources"), []),
        (("events", 0, "sources", 0, "quote"), ""),
        (("events", 0, "sources", 0, "page"), 3),
        (("events", 0, "figures", 0, "value"), "20"),
        (("events", 0, "figures", 0, "qualifier"), "approximately"),
        (("events", 0, "figures", 0, "measure"), "Settlements retaken"),
        (("events", 0, "figures", 0, "claimed_by"), DROP),
        (("events", 1, "links", 0, "relation"), "causes"),
        (("events", 1, "links", 0, "event"), DROP),
        (("sources", 0, "published_note"), DROP),
        (("sources", 0, "url"), "ftp://example.org/article"),
        (("sources", 0, "published"), "12/09/2022"),
        (("places", 0, "lat"), 91),
        (("places", 0, "lon"), -180.5),
        (("places", 0, "lat"), "49.2"),
        (("places", 0, "kind"), "oblast"),
        (("places", 0, "aliases"), "Izyum"),
        (("actors", 0, "side"), "ukrainian"),
        (("stories", 0, "date"), "2022-13"),
    ],
    ids=lambda item: "/".join(map(str, item)) if isinstance(item, tuple) else None,
)
def test_broken_documents_are_rejected_by_both(path, value):
    document = _changed(path, value)
    assert list(VALIDATOR.iter_errors(document)), "the schema accepts it"
    assert _validator_errors(document), "the validator accepts it"


# Field by field, value by value: both accept or both refuse

# Where one record of each kind sits in MINIMAL.
RECORD_PATHS = {
    "source": ("sources", 0),
    "place": ("places", 0),
    "actor": ("actors", 0),
    "story": ("stories", 0),
    "event": ("events", 0),
    "citation": ("events", 0, "sources", 0),
    "figure": ("events", 0, "figures", 0),
    "link": ("events", 1, "links", 0),
}


def _both(document) -> tuple[bool, bool]:
    """Whether the JSON Schema, and the validator, accept a document."""
    return VALIDATOR.is_valid(document), not _validator_errors(document)


def _in_minimal(kind: str) -> dict:
    target = MINIMAL
    for key in RECORD_PATHS[kind]:
        target = target[key]
    return target


FIELDS = [(kind, field) for kind, record in sorted(RECORDS.items()) for field in record.fields]


def test_minimal_has_every_field_but_an_article_file():
    """A file would need an article beside the document; the corpus covers it."""
    absent = {(kind, field.name) for kind, field in FIELDS if field.name not in _in_minimal(kind)}
    assert absent == {("source", "file")}


@pytest.mark.parametrize(
    ("kind", "name", "required"),
    [(kind, f.name, f.required) for kind, f in FIELDS if f.name in _in_minimal(kind)],
)
def test_dropping_a_field_is_judged_alike(kind, name, required):
    accepted = _both(_changed((*RECORD_PATHS[kind], name), DROP))
    assert accepted == (not required, not required)


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_an_unknown_field_is_refused_by_both(kind):
    assert _both(_changed((*RECORD_PATHS[kind], "colour"), "red")) == (False, False)


CHOICES = [
    (kind, field.name, value)
    for kind, record in sorted(RECORDS.items())
    for field in record.fields
    if field.kind is Kind.CHOICE
    for value in field.choices
]


@pytest.mark.parametrize(("kind", "name", "value"), CHOICES)
def test_every_value_of_a_vocabulary_is_accepted_by_both(kind, name, value):
    assert _both(_changed((*RECORD_PATHS[kind], name), value)) == (True, True)


@pytest.mark.parametrize(
    ("path", "value", "accepted"),
    [
        (("events", 0, "title"), "x" * MAX_TITLE_CHARS, True),
        (("events", 0, "title"), "x" * (MAX_TITLE_CHARS + 1), False),
        (("places", 0, "lat"), 90, True),
        (("places", 0, "lat"), -90.5, False),
        (("places", 0, "lon"), -180, True),
        (("places", 0, "lon"), 180.5, False),
        (("events", 0, "figures", 0, "value"), -1e6, True),
        (("events", 0, "stories"), ["kharkiv", "kharkiv"], True),
        (("events", 0, "actors"), [], True),
        (("events", 0, "figures"), [], True),
        (("sources", 0, "url"), "https://example.org/a", True),
        (("sources", 0, "url"), "example.org/a", False),
    ],
)
def test_limits_are_judged_alike(path, value, accepted):
    assert _both(_changed(path, value)) == (accepted, accepted)


# The curated file

DATE_FIELDS = frozenset({"date", "published"})
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_NULL_TAG = "tag:yaml.org,2002:null"


def load_yaml_keeping_dates(text: str):
    """YAML as the schema sees it in an editor: dates stay the strings they are written as.

    A YAML 1.1 loader turns a bare 2022-09-11 into a datetime.date and a bare 2022 into an int;
    like the validator, read every date field (and any timestamp) as its scalar's own text.
    """
    constructor = yaml.constructor.SafeConstructor()

    def data(node, key=None):
        if isinstance(node, yaml.MappingNode):
            return {name.value: data(value, name.value) for name, value in node.value}
        if isinstance(node, yaml.SequenceNode):
            return [data(item) for item in node.value]
        if node.tag == _TIMESTAMP_TAG or (key in DATE_FIELDS and node.tag != _NULL_TAG):
            return node.value
        return constructor.construct_object(node)

    return data(yaml.compose(text, Loader=yaml.SafeLoader))


def test_loader_keeps_dates_as_written():
    loaded = load_yaml_keeping_dates("date: 2022-09-11\npublished: 2022\nlat: 50\nvalue: 1.5\n")
    assert loaded == {"date": "2022-09-11", "published": "2022", "lat": 50, "value": 1.5}


def test_events_yaml_matches_the_schema():
    path = ROOT / "events.yaml"
    if not path.exists():
        pytest.skip("events.yaml does not exist, so there is no curated file to check")
    run = subprocess.run(
        [sys.executable, "-m", "timeline", "validate", "events.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if run.returncode != 0:
        summary = (run.stdout.strip().splitlines() or [run.stderr.strip()])[-1]
        pytest.skip(f"`python -m timeline validate events.yaml` fails ({summary}); fix that first")
    document = load_yaml_keeping_dates(path.read_text(encoding="utf-8-sig"))
    errors = sorted(VALIDATOR.iter_errors(document), key=lambda error: error.json_path)
    assert not errors, "\n".join(f"{error.json_path}: {error.message}" for error in errors)
