"""Headlines: what a title keeps of its clause."""

import pytest

from timeline.headlines import (
    CLOCK_TIME,
    LEAD,
    active_voice,
    perfect_as_present,
    present_tense,
    without_asides,
)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Crews restored supply to 120,000 households by 18:00", "Crews restored supply to "
         "120,000 households"),
        ("A drone struck a warehouse at about half past six", "A drone struck a warehouse"),
        ("Consumers should limit use between 17:00 and 23:00.", "Consumers should limit use"),
        ("Troops entered Kherson at seven o'clock", "Troops entered Kherson"),
        ("11:40. Two missiles hit energy facilities", "Two missiles hit energy facilities"),
        ("Sirens sounded at 6 a.m. local time", "Sirens sounded"),
        # at the start of a title too
        ("At 00:59 the plant lost its last line", "the plant lost its last line"),
        ("Between 07:00 and 09:30, missiles struck", ", missiles struck"),
        ("By noon the lights had gone out", "the lights had gone out"),
        ("The power came back at about 6am", "The power came back"),
        # numbers that are not times stay
        ("Russia fired 84 missiles and 3.5 million people lost power",
         "Russia fired 84 missiles and 3.5 million people lost power"),
    ],
)  # fmt: skip
def test_clock_times_leave_a_title(text, kept):
    assert " ".join(CLOCK_TIME.sub("", text).split()).strip() == kept


@pytest.mark.parametrize(
    ("title", "present"),
    [
        # the past perfect of a headline's verb becomes the present simple
        ("Engineers had reconnected a backup line", "Engineers reconnect a backup line"),
        ("Police had found a mass burial site", "Police find a mass burial site"),
        ("Two spans had fallen into the sea", "Two spans fall into the sea"),
        # a name in the plural after a possessive
        ("Kharkov: our Iskanders hit an energy facility", "Kharkov: our Iskanders hit an energy "
         "facility"),
        # the present perfect stays; what a saying reports keeps its perfect
        ("Ukraine has retaken the city", "Ukraine has retaken the city"),
        ("Kyiv said it had recaptured 20 villages", "Kyiv says it has recaptured 20 villages"),
        # Coordinated verbs.
        # a passive's second verb stays a participle ("and seized", not "and seizes")
        ("Its territory was shelled and seized", "Its territory shelled and seized"),
        ("The bridge was damaged and closed", "The bridge damaged and closed"),
        # an active verb's second verb goes to the present with it
        ("Troops entered the city and raised the flag", "Troops enter the city and raise the "
         "flag"),
        # The titles of extracted candidates.
        ("Russian forces seized the bridge", "Russian forces seize the bridge"),
        ("The army fired rockets", "The army fires rockets"),
        ("Ukraine carried out strikes", "Ukraine carries out strikes"),
        ("The Donbas slipped into war", "The Donbas slips into war"),
        ("Crews restored power", "Crews restore power"),
        ("Fighting continued around Izium", "Fighting continues around Izium"),
        ("The operator announced cuts", "The operator announces cuts"),
        ("Russia invaded in February", "Russia invades in February"),
        ("Soldiers entered the town and raised the flag",
         "Soldiers enter the town and raise the flag"),
        ("Kyiv said it had retaken Izium", "Kyiv says it has retaken Izium"),
        ("The air force said it shot down 37 drones", "The air force says it shot down 37 drones"),
        ("The abandoned tanks were towed away", "The abandoned tanks towed away"),
        ("Residents who had fled could return", "Residents who had fled could return"),
        ("A missile that landed in a village", "A missile lands in a village"),
        ("The ministry says it completed the withdrawal",
         "The ministry says it completed the withdrawal"),
        ("Ukrainian soldiers were in the square", "Ukrainian soldiers are in the square"),
        # a second clause with a subject of its own: its own number
        ("Two missiles hit a facility and the city's metro stopped running",
         "Two missiles hit a facility and the city's metro stops running"),
        ("A shell struck the plant and its reactors shut down",
         "A shell strikes the plant and its reactors shut down"),
        ("Troops entered the town and the residents cheered",
         "Troops enter the town and the residents cheer"),
        # a part of a whole takes the whole's number
        ("More than half of Kyiv's households were still without power",
         "More than half of Kyiv's households are still without power"),
        ("Most of the city was without water", "Most of the city is without water"),
        ("A column of tanks was in the village", "A column of tanks is in the village"),
    ],
)  # fmt: skip
def test_present_tense(title, present):
    assert present_tense(title) == present


@pytest.mark.parametrize(
    ("title", "active"),
    [
        # a passive whose agent is an actor is told actively, in the present
        ("Mr Murashov was stopped by Russian servicemen on the road from the plant to Enerhodar",
         "Russian servicemen stop Mr Murashov on the road from the plant to Enerhodar"),
        ("The mayor was detained by the occupiers", "The occupiers detain the mayor"),
        ("Kherson was retaken by Ukrainian forces", "Ukrainian forces retake Kherson"),
        ("A volunteer had been abducted by Russian soldiers in Nova Kakhovka",
         "Russian soldiers abduct a volunteer in Nova Kakhovka"),
        ("The substation was hit by Russia", "Russia hits the substation"),
        # an agent that is no one, or no agent: as it was
        ("Residents were moved by bus to Zaporizhzhia", "Residents were moved by bus to "
         "Zaporizhzhia"),
        ("Its territory was shelled and seized", "Its territory was shelled and seized"),
        # a subject with a verb or a relative pronoun of its own is not one
        ("This included targets in Izyum which were taken by Ukraine",
         "This included targets in Izyum which were taken by Ukraine"),
    ],
)  # fmt: skip
def test_active_voice(title, active):
    assert active_voice(title) == active


@pytest.mark.parametrize(
    ("title", "present"),
    [
        # a dated event told in the present perfect: plural, singular, irregular, an adverb
        ("Ukrainian authorities have discovered a mass burial site",
         "Ukrainian authorities discover a mass burial site"),
        ("The governor has visited Izium", "The governor visits Izium"),
        ("Ukrainian forces have retaken Lyman", "Ukrainian forces retake Lyman"),
        ("Russia has already struck Kyiv twice", "Russia already strikes Kyiv twice"),
        ("Engineers have restored power in Mykolaiv", "Engineers restore power in Mykolaiv"),
        # a state stays, and so does what was said
        ("The dam has been closed to traffic", "The dam has been closed to traffic"),
        ("Kyiv says it has retaken Izium", "Kyiv says it has retaken Izium"),
    ],
)  # fmt: skip
def test_a_present_perfect_headline_in_the_simple_present(title, present):
    assert perfect_as_present(title) == present


# What the thirteenth set's kinds change in titles, in wordings of no set: a participle before
# its agent stays one, "combined" names a kind of plant, a mass noun in -s is singular.
@pytest.mark.parametrize(
    ("title", "present"),
    [
        ("The Kremenchuk refinery shelled by Russian artillery",
         "The Kremenchuk refinery shelled by Russian artillery"),
        ("The substation in Lviv hit by a drone", "The substation in Lviv hit by a drone"),
        ("The Burshtyn combined heat and power plant restarted a unit",
         "The Burshtyn combined heat and power plant restarts a unit"),
        ("Gas returned to 2,300 homes", "Gas returns to 2,300 homes"),
        ("The news reached the front on Monday", "The news reaches the front on Monday"),
    ],
)  # fmt: skip
def test_present_tense_of_the_thirteenth_set_kinds(title, present):
    assert present_tense(title) == present


# A title too long loses the district of a city before anything else: the city is what a map
# names; a run-in label ("Background:", "Claim:") is no part of a title.
@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("A Russian S-300 missile strikes a water pumping station in the Saltivskyi district of "
         "Kharkiv overnight",
         "A Russian S-300 missile strikes a water pumping station in Kharkiv overnight"),
        ("Shelling damages a kindergarten and two apartment blocks in the Korabelnyi district of "
         "Mykolaiv on Sunday",
         "Shelling damages a kindergarten and two apartment blocks in Mykolaiv on Sunday"),
        # short enough: the district stays
        ("Drones hit the Shevchenkivskyi district of Kyiv",
         "Drones hit the Shevchenkivskyi district of Kyiv"),
    ],
)  # fmt: skip
def test_a_long_title_loses_the_district_first(title, short):
    assert without_asides(title) == short


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("Background: Kherson was occupied in March", "Kherson was occupied in March"),
        ("Claim: Russia fired 100 missiles", "Russia fired 100 missiles"),
        ("Context: the plant lost power", "the plant lost power"),
    ],
)
def test_a_run_in_label_leads_no_title(text, rest):
    assert LEAD.sub("", text) == rest
