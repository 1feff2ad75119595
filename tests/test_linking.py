"""`same_as`: which event of the file a candidate reports, and which it does not."""

import pytest

from tests.conftest import ROOT, candidates_of
from timeline.extract import same_as
from timeline.load import load_timeline


@pytest.fixture(scope="module")
def timeline():
    return load_timeline(ROOT / "events.yaml")


def links(timeline, text: str) -> list[str | None]:
    return [same_as(candidate, timeline) for candidate in candidates_of(timeline, text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a day later at another place is another event, however alike the words
        ("date 2022-10-14\nOn 10 October, Russia launched 84 cruise missiles across Ukraine. A day "
         "later, on 11 October, Russian missiles struck energy facilities in Lviv.",
         ["october-10-strikes", None]),
        # the same kind of event at a place the event holds, on exactly its days
        ("date 2022-10-14\nOn 10 October, a missile hit a children's playground in central Kyiv.",
         ["october-10-strikes"]),
        # what someone says a day later is not a casualty report of the day before
        ("date 2022-11-18\nKyiv's mayor, Vitali Klitschko, said on Wednesday that about 430 "
         "heating points would open across the city.", [None]),
        # … nor what a spokesman says of the strikes the strikes themselves
        ("date 2022-10-14\nIn a briefing on 10 October, Igor Konashenkov said the strikes had hit "
         "military targets.", [None]),
        # an announcement of what the speaker's own side does is that deed
        ("date 2022-11-14\nRussia announced on November 9 that its troops would leave Kherson.",
         ["russia-withdraws-from-kherson"]),
        # a city's part of a barrage the file holds for the country
        ("date 2022-10-11\n10 October, 09:12. Explosions in Lviv.", ["october-10-strikes"]),
        # … but shooting missiles down is not the strike, nor is a city's repair the country's
        ("date 2022-10-11\nOn 10 October, air defences shot down 43 missiles over Kyiv.", [None]),
        ("date 2022-09-18\nKharkiv's mayor said on Monday that power had been restored to most "
         "of the city.", [None]),
        # a country few events name is a place like any other
        ("date 2022-11-16\nMoldova, too, suffered power cuts on 15 November.",
         ["moldova-outage-nov-15"]),
        # a town inside the region of the event the file holds (the gazetteer's `region`)
        ("date 2022-09-18\nThe push, which began near Balakliia on 6 September, has reached the "
         "Oskil.", ["kharkiv-counteroffensive-launched"]),
        ("date 2022-09-19\nRussian troops arrived in Balakliia on 3 March.",
         ["russia-occupies-kharkiv-areas"]),
        # a month named in a flashback holds the day the place changed hands
        ("date 2022-11-12\nMany had not seen a flag since March, when Russian troops took "
         "Kherson.", ["russia-seizes-kherson"]),
        # a date that names an event needs no shared words
        ("date 2022-10-21\nEngineers are still repairing equipment damaged in the attacks of 10 "
         "October.", ["october-10-strikes"]),
        # a past day named in passing: the one event of the file that day
        ("date 2022-09-19\nShe remembers the morning of 24 February clearly.",
         ["russian-invasion"]),
        # among events of one kind on exactly its day, the one whose title it echoes
        ("date 2022-11-25\n- Nov. 15: The largest barrage so far.", ["november-15-strikes"]),
        # a place in a country the gazetteer lacks is none of the file's events
        ("date 2022-11-16\nOn 15 November, a missile fell on a Polish village.", [None]),
        # a nuclear plant's reactors shut down are not the region's blackouts of that day
        ("date 2022-09-11\nAt the Zaporizhzhia nuclear power plant, engineers shut down the "
         "last of its six reactors this morning.", [None]),
        # another name of the place, and a dateless sentence telling what the event did
        ("date 2022-10-08\nA fuel tank on a freight train caught fire on the Kerch bridge this "
         "morning. Two spans of the road section have fallen into the sea.",
         ["crimean-bridge-explosion", "crimean-bridge-explosion"]),
        # one site, one day, one event, whatever its kind
        ("date 2022-10-09\nA truck bomb exploded on the Kerch Bridge on Saturday morning, "
         "killing three people.", ["crimean-bridge-explosion"]),
        # troops that flee withdraw
        ("date 2022-09-13\nRussian troops fled Izium on Saturday, leaving behind tanks.",
         ["russia-withdraws-izium-kupiansk"]),
        # "on 10 October, when it fired …": the 'when' clause is the event of the day named
        ("date 2022-10-18\nSince Russia began its campaign against the grid on 10 October, when "
         "it fired more than 80 missiles at cities across the country, the power system has "
         "never been under such pressure.", ["october-10-strikes"]),
        # what a witness saw, told in a digest's heading with a count that points back
        ("date 2022-10-03\nOn the morning of 10 September I saw the soldiers at the checkpoint "
         "load their trucks in a hurry and drive off towards Kupyansk.",
         ["russia-withdraws-izium-kupiansk"]),
        ("date 2022-11-19\nTUESDAY — Russia fired 96 missiles at the power grid, the heaviest "
         "barrage yet, and the air force says 75 of them were shot down.",
         ["november-15-strikes", "air-defence-shoots-down-70"]),
    ],
)  # fmt: skip
def test_same_as(timeline, text, expected):
    assert links(timeline, text) == expected


# What a relative clause adds about a noun of the clause ("75 missiles, 41 of which were shot
# down") is no aspect of the clause's event: the report is still the barrage; the
# interception told as the clause's own deed is not.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date 2022-10-10\nRussia fired 75 cruise missiles at Ukraine this morning, 41 of which "
         "were shot down by air defenses, the general said.", ["october-10-strikes"]),
        ("date 2022-11-16\nRussia launched about 90 missiles at Ukraine on Tuesday, most of which "
         "were intercepted.", ["november-15-strikes"]),
        ("date 2022-10-11\nAir defences shot down 43 of the 84 missiles Russia fired on Monday, "
         "the military said.", [None]),
    ],
)  # fmt: skip
def test_a_relative_aside_is_no_aspect_of_the_event(timeline, text, expected):
    assert links(timeline, text) == expected
