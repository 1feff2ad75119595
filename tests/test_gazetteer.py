"""Places and actors named in a clause, and the places of a clause that names none."""

from datetime import date

import pytest

from tests.conftest import ROOT
from timeline.extract import Article, Gazetteer, article_candidates
from timeline.gazetteer import article_topic, other_spellings
from timeline.load import load_timeline


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.from_timeline(load_timeline(ROOT / "events.yaml"))


@pytest.mark.parametrize(
    ("sentence", "places", "actors"),
    [
        # a name that is a place and an actor: the agent after "by" is the actor
        ("the strikes were a response to attacks by Kyiv", (), ("ukraine-government",)),
        ("Russian missiles hit Kyiv", ("kyiv",), ()),
        # other spellings of the gazetteer's places
        ("Kharkov: our Iskanders hit an energy facility", ("kharkiv",), ()),
        ("A fuel tank caught fire on the Kerch bridge", ("crimean-bridge",), ()),
        # a country whose forces did it, or that did not, is not where it happened
        ("the missile was fired by Ukraine's air defences, not by Russia", (), ()),
        ("Seventy of the missiles fired by Russia were shot down", ("russia",), ()),
        # a name that goes on after a hyphen is another place; two names joined are both
        ("By Tue 27th UAF held Kupyansk-Vuzlovyi, the rail hub", (), ()),
        ("Fighting near Izium-Lozova road", (), ()),
        ("the Russia-Ukraine border near Kharkiv", ("russia", "ukraine", "kharkiv"), ()),
        # a country whose officer or general it is, or that had taken a place, did not happen
        # there
        ("Russia's new commander called the situation tense", (), ()),
        ("the only regional capital Russia had taken since the invasion", (), ()),
        ("Ukraine's top general has already visited Izium", ("izium",), ()),
        # a place that names an office is whose office it is, not where the event is: before
        # a governor, a (regional, military) administration, a prosecutor's office
        ("graves were found in Izium, Kharkiv Oblast Governor Oleh Syniehubov said",
         ("izium",), ("syniehubov",)),
        ("shells hit Kupyansk, informs the head of Kharkiv regional military administration",
         ("kupiansk",), ()),
        ("the Kherson military administration said shelling hit Kherson", ("kherson",), ()),
        ("Kyiv Oblast governor said a drone fell", (), ()),
        ("the Kharkiv prosecutor's office opened a case", (), ()),
        # a name's generic word in lower case: "the annexed Crimean peninsula"
        ("a blast damaged the bridge to the annexed Crimean peninsula", ("crimea",), ()),
        ("the Crimean Peninsula", ("crimea",), ()),
        ("heavy fighting in Kharkiv region", ("kharkiv-oblast",), ()),
        # a river's generic noun first, as translations put it
        ("our defenders crossed the river Oskil near Kupyansk", ("oskil-river", "kupiansk"), ()),
    ],
)  # fmt: skip
def test_find(gazetteer, sentence, places, actors):
    assert gazetteer.find(sentence) == (places, actors)


# The places a sentence names: a country that acts or speaks is none, with when it did so put
# before its verb; a country's border an event is near is a landmark, not where it is.
@pytest.mark.parametrize(
    ("sentence", "places"),
    [
        ("Russia on 10 October fired 84 missiles at Kyiv", ("kyiv",)),
        ("Russia late on Monday launched a wave of drones at Kyiv", ("kyiv",)),
        ("Russia yesterday fired missiles at Kharkiv", ("kharkiv",)),
        ("Ukraine on Tuesday said it had shot down 70 missiles", ()),
        ("Russia on Sept. 11 claimed it had struck Izium", ("izium",)),
        ("a missile fell near the Polish border", ()),
        ("shelling hit a village close to the Russian border", ()),
        ("In Lviv, near the Polish border, the lights went out", ("lviv",)),
        # a country that suffers it, says it suffered it, or whose village it is, is where it
        # happened
        ("Russia on Monday suffered a blackout", ("russia",)),
        ("a Moldovan village lost power", ("moldova",)),
        ("Moldova says it has suffered a massive blackout", ("moldova",)),
        ("neighbouring Moldova plunged into a blackout", ("moldova",)),
        ("Moldova lost power for hours", ("moldova",)),
        ("Russia plunged Kyiv into darkness", ("kyiv",)),
        ("Russia lost Izium in September", ("izium",)),
        # the region of a city is the region
        ("Missiles hit the region of Kharkiv", ("kharkiv-oblast",)),
        ("Missiles hit the city of Kharkiv", ("kharkiv",)),
        # a name borne by a company or a body ("Kharkiv Vodokanal", "Kyiv Oblenergo", "the Kyiv
        # Independent") or made an adjective ("a Kyiv-bound train", "Kharkiv-based volunteers")
        # is no place of the event; the city's own metro and a place whose name goes on after
        # a hyphen in capitals are what they were
        ("Two pumping stations were repaired by crews from Kharkiv Vodokanal in Izium", ("izium",)),
        ("Kyiv Oblenergo cut power to 30% of Kyiv region", ("kyiv-oblast",)),
        ("The Kyiv Independent reported shelling in Kharkiv", ("kharkiv",)),
        ("A missile hit a Kyiv-bound train near Lozova", ()),
        ("Kharkiv-based volunteers delivered food to Izium", ("izium",)),
        ("The Kharkiv metro stopped running", ("kharkiv",)),
        ("Kupyansk-Vuzlovyi was shelled", ()),
    ],
)  # fmt: skip
def test_the_places_a_sentence_names(gazetteer, sentence, places):
    assert gazetteer.find(sentence)[0] == places


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # a district the gazetteer lacks is in the city the article is about
        ("date 2022-11-18\nPower cuts: what Kyiv households need to know\n\nWater returned to "
         "taps in Desnianskyi district on Wednesday evening.", [("kyiv",)]),
        # a town it lacks is not
        ("date 2022-11-18\nPower cuts: what Kyiv households need to know\n\nWater returned to "
         "taps in Brovary on Wednesday evening.", [()]),
        # the sentence right before, in the paragraph, is where a clause naming none happens
        ("date 2022-09-11\nNews\n\nAt the Zaporizhzhia nuclear power plant, engineers shut down "
         "the last reactor this morning. Engineers had reconnected a backup line on Saturday.",
         [("zaporizhzhia-oblast",), ("zaporizhzhia-oblast",)]),
        # a deed split from its saying takes the saying's places
        ("date 2022-10-20\nThe mayor of Mykolaiv said on Wednesday that a missile had destroyed "
         "a building on Tuesday.", [("mykolaiv",), ("mykolaiv",)]),
        # a form's Location field, for a clause that names no place
        ("date 2022-09-26\nSecurity alert\n\nLocation: Russian Federation\n\nEvent: On "
         "September 21, the government announced a mobilisation.", [("russia",)]),

        # "the city" in a notice under a letterhead in capitals: the letterhead's city
        ("date 2022-11-25\nKHARKIV CITY COUNCIL\n\nOn Wednesday, 23 November, three "
         "substations supplying the city were damaged.", [("kharkiv",)]),
        ("date 2022-10-12\nMYKOLAIV REGIONAL MILITARY ADMINISTRATION\n\nOn Tuesday a drone hit "
         "a warehouse in the city.", [("mykolaiv",)]),
        # "the country": the country of the last candidate with a place
        ("date 2022-10-20\nNews\n\nLimits on electricity use began in Ukraine on Thursday. "
         "Zelenskyy said on Tuesday that Russian forces had knocked out 30% of the country's "
         "power stations since Oct. 10.", [("ukraine",), ("ukraine",)]),
        ("date 2022-11-20\nNews\n\nMissiles struck Lviv on Tuesday. Since Wednesday, half the "
         "country has been without power.", [("lviv",), ("ukraine",)]),
    ],
)  # fmt: skip
def test_places_of_a_clause_that_names_none(gazetteer, text, places):
    article = Article("a.txt", text, date.fromisoformat(text[5:15]), "dateline")
    assert [c.places for c in article_candidates(article, gazetteer)] == places


@pytest.mark.parametrize(
    ("name", "kind", "region", "spellings"),
    [
        ("Kharkiv", "city", "Kharkiv Oblast", ("Kharkov",)),
        ("Lviv", "city", None, ("Lvov",)),
        ("Crimean Bridge", "site", "Kerch Strait (Crimea – Krasnodar Krai)",
         ("Crimean bridge", "Kerch Bridge", "Kerch bridge")),
        ("Kherson", "city", "Kherson Oblast", ()),
        # a generic word in lower case too ("in Kharkiv oblast")
        ("Kharkiv Oblast", "region", None, ("Kharkov Oblast", "Kharkiv oblast")),
        ("Zaporizhzhia", "region", None, ("Zaporizhia", "Zaporizhzhya", "Zaporizhya")),
        ("Izium", "city", None, ("Izyum",)),
        ("Sievierodonetsk", "city", None, ("Severodonetsk",)),
        ("Mykolaiv", "city", None, ()),  # a vowel before "-iv": no Russian "-ov" by rule
        ("Kyiv", "city", None, ()),
    ],
)  # fmt: skip
def test_other_spellings(name, kind, region, spellings):
    assert other_spellings(name, kind, region) == spellings


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # a form's field says where it is, a country too
        ("date 2022-09-26\nSecurity alert\n\nLocation: Russian Federation\n\nEvent: …",
         ("russia",)),
        ("date 2022-10-03\nWitness statement\n\nName: H. M.   Address: house No. 14, Izyum, "
         "Kharkiv region\n", ("izium",)),
        # else the places of the headline, not whole countries
        ("date 2022-09-12\nDispatch from Balakliia\n\nText.", ("balakliia",)),
        ("date 2022-09-12\nNews from Ukraine\n\nText.", ()),
        # a letterhead in capitals names its city
        ("date 2022-11-25\nKHARKIV CITY COUNCIL\nDepartment of Energy\n\nText.", ("kharkiv",)),
        ("date 2022-10-04\nOFFICE OF THE PROSECUTOR GENERAL OF UKRAINE\n\nText.", ()),
    ],
)  # fmt: skip
def test_article_topic(gazetteer, text, topic):
    assert article_topic(text, gazetteer) == topic


def test_a_month_is_not_a_place_the_gazetteer_lacks(gazetteer):
    assert not gazetteer.names_unknown_place("My neighbour was taken by soldiers in May.")
    assert gazetteer.names_unknown_place("In Zhytomyr, water pumping stations stopped.")


def test_a_file_without_countries_finds_places_without_failing(small):
    # No country means no demonyms: "a Polish village" must not meet an empty pattern.
    assert not [p for p in small.places.values() if p.kind == "country"]
    found = Gazetteer.from_timeline(small).find("A Polish village near Kharkiv was hit.")
    assert found == (("kharkiv",), ())
