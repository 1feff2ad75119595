"""ACLED-style CSV import: mapping, exact-prefix appends, refusals and idempotence."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from timeline.acled import (
    AcledRejected,
    acled_category,
    acled_date,
    acled_event_id,
    import_acled,
    parse_acled_date,
    read_acled,
)
from timeline.cli import main
from timeline.dates import Precision, parse_date
from timeline.errors import InvalidTimeline
from timeline.export import UnknownStory, render
from timeline.load import load_timeline

DATA = ROOT / "tests" / "data" / "acled"
CSV_NAME = "acled-ukraine-2022.csv"
HEADER = (
    "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,admin1,"
    "location,latitude,longitude,geo_precision,source,notes,fatalities"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of tests/data/acled."""
    for path in DATA.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    return tmp_path


def write_csv(folder: Path, *rows: str, header: str = HEADER) -> Path:
    path = folder / "rows.csv"
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode("utf-8"))
    return path


def row(**values: str) -> str:
    """One CSV row of HEADER's columns, with sensible defaults."""
    defaults = {
        "event_id_cnty": "UKR1", "event_date": "2022-09-11", "time_precision": "1",
        "event_type": "Battles", "sub_event_type": "Armed clash", "actor1": "", "actor2": "",
        "admin1": "Kharkiv", "location": "Kharkiv", "latitude": "49.9935",
        "longitude": "36.2304", "geo_precision": "1", "source": "Suspilne",
        "notes": "Fighting was reported.", "fatalities": "0",
    }  # fmt: skip
    defaults.update(values)
    cells = []
    for column in HEADER.split(","):
        value = defaults[column]
        cells.append(f'"{value.replace(chr(34), chr(34) * 2)}"' if "," in value else value)
    return ",".join(cells)


def imported(folder: Path, csv_path: Path | None = None, **options) -> dict:
    """Import into folder/events.yaml; the events of the file afterwards by id."""
    options.setdefault("stories", ["autumn-2022"])
    import_acled(csv_path or folder / CSV_NAME, folder / "events.yaml", **options)
    timeline = load_timeline(folder / "events.yaml")
    assert timeline.ok, [str(problem) for problem in timeline.problems]
    return {event.id: event for event in timeline.events}


# Appending


def test_import_appends_without_touching_existing_bytes(folder):
    before = (folder / "events.yaml").read_bytes()
    events = imported(folder)
    after = (folder / "events.yaml").read_bytes()
    assert after.startswith(before)
    assert after != before
    new = [event for event in events.values() if event.id.startswith("acled-")]
    assert sorted(event.id for event in new) == [f"acled-ukr9000{n}" for n in range(1, 8)]
    assert {(event.origin, event.status) for event in new} == {("imported", "reported")}
    assert events["kharkiv-blackout"].notes.startswith("Curated before the import")


def test_import_twice_adds_nothing(folder):
    imported(folder)
    digest = hashlib.sha256((folder / "events.yaml").read_bytes()).hexdigest()
    plan = import_acled(folder / CSV_NAME, folder / "events.yaml", stories=["autumn-2022"])
    assert (plan.added, plan.blocks) == ([], [])
    assert len(plan.skipped) == 7
    assert hashlib.sha256((folder / "events.yaml").read_bytes()).hexdigest() == digest


def test_import_adds_only_the_new_rows(folder):
    records = (folder / CSV_NAME).read_bytes().split(b"\r\n")  # a cell holds a bare \n
    first_two = folder / "first.csv"
    first_two.write_bytes(b"\r\n".join(records[:3]) + b"\r\n")
    assert len(imported(folder, first_two)) == 3
    plan = import_acled(folder / CSV_NAME, folder / "events.yaml", stories=["autumn-2022"])
    assert (len(plan.added), len(plan.skipped)) == (5, 2)


def test_dry_run_writes_nothing(folder):
    before = (folder / "events.yaml").read_bytes()
    plan = import_acled(
        folder / CSV_NAME, folder / "events.yaml", stories=["autumn-2022"], dry_run=True
    )
    assert (folder / "events.yaml").read_bytes() == before
    assert len(plan.blocks) == 7
    assert plan.new_data.startswith(before)
    items = yaml.safe_load("".join(plan.blocks))
    assert [item["id"] for item in items] == plan.added


# Mapping


@pytest.mark.parametrize(
    ("event_date", "time_precision", "expected", "precision"),
    [
        ("11 September 2022", 1, "2022-09-11", Precision.DAY),
        ("2022-09-11", 1, "2022-09-11", Precision.DAY),
        ("14 September 2022", 2, "2022-W37", Precision.WEEK),  # a Wednesday
        ("2022-09-11", 2, "2022-W36", Precision.WEEK),  # a Sunday ends its ISO week
        ("2022-09-12", 2, "2022-W37", Precision.WEEK),  # a Monday starts the next
        ("2022-01-01", 2, "2021-W52", Precision.WEEK),  # ISO week of the previous year
        ("2020-12-31", 2, "2020-W53", Precision.WEEK),
        ("15 October 2022", 3, "2022-10", Precision.MONTH),
        ("2022-12-31", 3, "2022-12", Precision.MONTH),
    ],
)
def test_time_precision_maps_to_our_precision(event_date, time_precision, expected, precision):
    when = parse_acled_date(event_date)
    written = acled_date(when, time_precision)
    assert written == expected
    parsed = parse_date(written)
    assert parsed.precision is precision
    assert parsed.first <= when <= parsed.last, "the span covers ACLED's date"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-09-11", date(2022, 9, 11)),
        ("11 September 2022", date(2022, 9, 11)),
        ("1 October 2022", date(2022, 10, 1)),
        ("11-September-2022", date(2022, 9, 11)),
        ("11 SEPTEMBER 2022", date(2022, 9, 11)),
    ],
)
def test_acled_dates(text, expected):
    assert parse_acled_date(text) == expected


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "category"),
    [
        ("Battles", "Government regains territory", "advance"),
        ("Battles", "Non-state actor overtakes territory", "advance"),
        ("Battles", "Armed clash", "other"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", "strike"),
        ("Explosions/Remote violence", "Air/drone strike", "strike"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED", "strike"),
        ("Violence against civilians", "Attack", "civilians"),
        ("Violence against civilians", "Abduction/forced disappearance", "civilians"),
        ("Protests", "Peaceful protest", "other"),
        ("Riots", "Violent demonstration", "other"),
        ("Strategic developments", "Disrupted weapons use", "strike"),
        ("Strategic developments", "Non-violent transfer of territory", "advance"),
        ("Strategic developments", "Agreement", "diplomacy"),
        ("Strategic developments", "Looting/property destruction", "other"),
        ("Something new", "", "other"),
    ],
)
def test_event_types_map_to_categories(event_type, sub_event_type, category):
    assert acled_category(event_type, sub_event_type) == category


def test_rows_become_events(folder):
    events = imported(folder)
    strike = events["acled-ukr90001"]
    assert (str(strike.date), strike.category) == ("2022-09-11", "strike")
    assert (strike.places, strike.actors) == (("kharkiv",), ("russian-armed-forces",))
    assert strike.title == "Shelling/artillery/missile attack in Kharkiv"
    assert strike.sources[0].quoted == "ACLED, citing Suspilne; Ukrainska Pravda"
    assert strike.figures == ()

    retaken = events["acled-ukr90002"]
    assert retaken.title == "Government regains territory in Kupiansk", "the gazetteer's name"
    assert retaken.places == ("kupiansk",), "matched by the alias Kupyansk"
    assert retaken.actors == ("ukraine-armed-forces", "russian-armed-forces")
    assert retaken.category == "advance"

    week = events["acled-ukr90003"]
    assert (str(week.date), week.date.precision) == ("2022-W37", Precision.WEEK)
    assert week.places == ("izium",)
    assert week.sources[0].quote == (
        "Around 14 September 2022 (week of): after Ukrainian forces retook Izyum, officials "
        'said they found the bodies of civilians, some "with signs of torture", in the town.\n'
        "The exact dates of the killings are unknown."
    )
    figure = week.figures[0]
    assert (figure.measure, figure.value, figure.unit) == ("deaths", 3, "people")
    assert (figure.qualifier, figure.claimed_by, figure.source) == ("at-least", "ACLED", "acled")
    assert week.notes.startswith("Actors not in the actors list: Civilians (Ukraine). ")

    month = events["acled-ukr90005"]
    assert (str(month.date), month.date.precision) == ("2022-10", Precision.MONTH)
    assert month.places == ("kharkiv-oblast",), "geo_precision 3: the region, by admin1"
    assert month.title == "Disrupted weapons use in Kharkiv Oblast"

    protest = events["acled-ukr90006"]
    assert protest.places == ()
    assert protest.notes == (
        "Place not in the gazetteer: Lviv (Lviv) at latitude 49.8397, longitude 24.0297 "
        "(geo_precision 1). Actors not in the actors list: Protesters (Ukraine). Imported from "
        "ACLED (event_id_cnty: UKR90006; event_date: 20 October 2022; time_precision: 1; "
        "event_type: Protests; sub_event_type: Peaceful protest; actor1: Protesters (Ukraine); "
        "admin1: Lviv; location: Lviv; latitude: 49.8397; longitude: 24.0297; geo_precision: 1; "
        "fatalities: 0; source: Zaxid.net)."
    )


def test_a_same_named_place_far_away_is_not_matched(folder):
    far = row(location="Kharkiv", latitude="48.5", longitude="35.0")  # about 180 km away
    near = row(event_id_cnty="UKR2", location="kharkiv", latitude="50.05", longitude="36.30")
    events = imported(folder, write_csv(folder, far, near))
    assert events["acled-ukr1"].places == ()
    assert events["acled-ukr1"].notes.startswith("Place not in the gazetteer: Kharkiv (Kharkiv)")
    assert events["acled-ukr2"].places == ("kharkiv",), "case-insensitive, within 30 km"


def test_actors_match_with_and_without_years(folder):
    csv_path = write_csv(
        folder,
        row(actor1="Military Forces of Ukraine (2019-)", actor2="Armed Forces of Russia"),
        row(event_id_cnty="UKR2", actor1="military forces of russia", actor2="Wagner Group"),
    )
    events = imported(folder, csv_path)
    assert events["acled-ukr1"].actors == ("ukraine-armed-forces", "russian-armed-forces")
    assert events["acled-ukr2"].actors == ("russian-armed-forces",)
    assert "Actors not in the actors list: Wagner Group." in events["acled-ukr2"].notes


def test_rows_without_an_acled_id_get_a_stable_id(folder):
    csv_path = write_csv(folder, row(event_id_cnty=""))
    first = read_acled(csv_path.read_text(encoding="utf-8"), "rows.csv")[0][0]
    event_id = acled_event_id(first)
    assert event_id.startswith("acled-")
    assert len(event_id) == len("acled-") + 12
    assert imported(folder, csv_path)[event_id].title == "Armed clash in Kharkiv"
    plan = import_acled(csv_path, folder / "events.yaml", stories=["autumn-2022"])
    assert (plan.added, plan.skipped) == ([], [event_id])


def test_several_stories(folder):
    events = imported(folder, stories=["autumn-2022", "energy-strikes"])
    assert events["acled-ukr90004"].stories == ("autumn-2022", "energy-strikes")


# Refusals


NEW_SOURCE = (
    "  - id: acled-2023\n"
    "    outlet: ACLED (Armed Conflict Location & Event Data)\n"
    "    published: 2022-11-11\n"
    "    published_note: The latest event_date in acled-ukraine-2022.csv (the export was made on "
    "or after that day; give --published for the day it was downloaded).\n"
    "    url: https://acleddata.com/\n"
)


def test_a_missing_source_is_added_at_the_end_of_sources_in_the_same_write(folder):
    path = folder / "events.yaml"
    before = path.read_text()
    plan = import_acled(folder / CSV_NAME, path, source_id="acled-2023", stories=["autumn-2022"])
    after = path.read_text()
    last_source = "    url: https://acleddata.com/\nplaces:\n"
    assert before.count(last_source) == 1
    assert after == before.replace(
        last_source, "    url: https://acleddata.com/\n" + NEW_SOURCE + "places:\n"
    ) + "".join(plan.blocks)
    assert plan.source["id"] == "acled-2023"
    events = {event.id: event for event in load_timeline(path).raise_if_invalid().events}
    assert events["acled-ukr90001"].sources[0].source == "acled-2023"


def test_the_source_is_dated_by_the_download_day_when_given(folder):
    path = folder / "events.yaml"
    import_acled(folder / CSV_NAME, path, "acled-2023", ["autumn-2022"], published=date(2023, 1, 2))
    assert (
        "    published: 2023-01-02\n    published_note: The day the export was downloaded, given "
        "on the command line (--published).\n"
    ) in path.read_text()


def test_the_curated_file_gets_an_acled_source(tmp_path):
    (tmp_path / "seeds").mkdir()
    for article in (ROOT / "seeds").iterdir():
        (tmp_path / "seeds" / article.name).write_bytes(article.read_bytes())
    path = tmp_path / "events.yaml"
    path.write_bytes((ROOT / "events.yaml").read_bytes())
    plan = import_acled(DATA / CSV_NAME, path, stories=["energy-strikes"])
    assert plan.source["id"] == "acled"
    assert len(plan.added) == 7
    timeline = load_timeline(path).raise_if_invalid()
    assert list(timeline.sources)[-1] == "acled"


def test_refuses_an_unknown_story(folder):
    with pytest.raises(UnknownStory) as caught:
        import_acled(folder / CSV_NAME, folder / "events.yaml", stories=["autumn"])
    assert str(caught.value) == (
        "unknown story 'autumn' (did you mean 'autumn-2022'? expected one of: autumn-2022, "
        "energy-strikes)"
    )


def test_reports_every_bad_row_at_once(folder):
    before = (folder / "events.yaml").read_bytes()
    csv_path = write_csv(
        folder,
        row(event_id_cnty="UKR1", time_precision="4"),
        row(event_id_cnty="UKR2", event_date="31 September 2022", latitude="95"),
        row(event_id_cnty="UKR3", notes="", fatalities="many"),
        row(event_id_cnty="UKR4", event_date="Sept 2022", geo_precision="7"),
        row(event_id_cnty="UKR5"),
        row(event_id_cnty="UKR5"),
        "UKR6,2022-09-11,1",
    )
    with pytest.raises(AcledRejected) as caught:
        import_acled(csv_path, folder / "events.yaml", stories=["autumn-2022"])
    assert [str(problem) for problem in caught.value.problems] == [
        "rows.csv:2:1: error: row 'UKR1': time_precision '4' is not 1, 2 or 3 (1 a day, 2 a "
        "week, 3 a month)",
        "rows.csv:3:1: error: row 'UKR2': event_date '31 September 2022' is not a real day",
        "rows.csv:3:1: error: row 'UKR2': latitude 95 is out of range (expected -90 to 90)",
        "rows.csv:4:1: error: row 'UKR3': fatalities 'many' is not a whole number of 0 or more",
        "rows.csv:4:1: error: row 'UKR3': notes is empty (it becomes the quote)",
        "rows.csv:5:1: error: row 'UKR4': event_date 'Sept 2022' is not a date (expected "
        "YYYY-MM-DD or e.g. '11 September 2022')",
        "rows.csv:5:1: error: row 'UKR4': geo_precision '7' is not one of 1, 2, 3",
        "rows.csv:7:1: error: row 'UKR5': the same ACLED event as line 6 (event id 'acled-ukr5'; "
        "expected each event once)",
        "rows.csv:8:1: error: the row has 3 fields (expected 15, as the header)",
    ]
    assert (folder / "events.yaml").read_bytes() == before


def test_a_row_of_one_field_is_counted_in_words(folder):
    csv_path = write_csv(folder, row(), "lonely")
    with pytest.raises(AcledRejected) as caught:
        import_acled(csv_path, folder / "events.yaml", stories=["autumn-2022"])
    assert [str(problem) for problem in caught.value.problems] == [
        "rows.csv:3:1: error: the row has 1 field (expected 15, as the header)"
    ]


def test_reports_missing_columns(folder):
    csv_path = write_csv(folder, "2022-09-11,1", header="event_date,time_precision")
    with pytest.raises(AcledRejected) as caught:
        import_acled(csv_path, folder / "events.yaml", stories=["autumn-2022"])
    assert [str(problem) for problem in caught.value.problems] == [
        "rows.csv:1:1: error: missing ACLED columns event_type, location, latitude, longitude, "
        "notes (found: event_date, time_precision)"
    ]


def test_refuses_an_invalid_events_file(folder):
    events_file = folder / "events.yaml"
    events_file.write_bytes(events_file.read_bytes().replace(b"2022-09-11 evening", b"2022-13"))
    with pytest.raises(InvalidTimeline) as caught:
        import_acled(folder / CSV_NAME, events_file, stories=["autumn-2022"])
    assert "has no month 13" in str(caught.value)


def test_line_numbers_count_line_breaks_inside_cells(folder):
    notes = '"two\nlines"'
    csv_path = folder / "rows.csv"
    header = "event_id_cnty,event_date,time_precision,event_type,location,latitude,longitude,notes"
    csv_path.write_text(
        f"{header}\nUKR1,2022-09-11,1,Battles,Kharkiv,49.9,36.2,{notes}\n"
        "UKR2,2022-09-11,9,Battles,Kharkiv,49.9,36.2,fine\n",
        encoding="utf-8",
    )
    with pytest.raises(AcledRejected) as caught:
        import_acled(csv_path, folder / "events.yaml", stories=["autumn-2022"])
    assert [problem.line for problem in caught.value.problems] == [4]


# The command


def run_command(*argv: str, capsys) -> tuple[int, str, str]:
    status = main(["import-acled", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_command_imports_then_skips(folder, capsys):
    into = str(folder / "events.yaml")
    arguments = (str(folder / CSV_NAME), "--into", into, "--story", "autumn-2022")
    assert run_command(*arguments, capsys=capsys) == (
        0, f"{into}: added 7 events from {CSV_NAME} (0 already present)\n", "",
    )  # fmt: skip
    assert run_command(*arguments, capsys=capsys) == (
        0, f"{into}: nothing to add from {CSV_NAME} (7 already present)\n", "",
    )  # fmt: skip


def test_command_dry_run_prints_the_yaml(folder, capsys):
    into = str(folder / "events.yaml")
    before = (folder / "events.yaml").read_bytes()
    status, out, err = run_command(
        str(folder / CSV_NAME), "--into", into, "--story", "autumn-2022", "--dry-run",
        capsys=capsys,
    )  # fmt: skip
    assert (status, err) == (0, "")
    assert out.startswith("  - id: acled-ukr90001\n")
    assert out.endswith(
        f"# {into}: would add 7 events from {CSV_NAME} (0 already present); nothing written "
        "(--dry-run)\n"
    )
    assert len(yaml.safe_load(out)) == 7
    assert (folder / "events.yaml").read_bytes() == before


def test_command_adds_the_source(folder, capsys):
    into = str(folder / "events.yaml")
    status, out, err = run_command(
        str(folder / CSV_NAME), "--into", into, "--story", "autumn-2022", "--source-id", "x",
        "--published", "2023-01-20", capsys=capsys,
    )  # fmt: skip
    assert (status, err) == (0, "")
    assert out == (
        f"{into}: added 7 events from {CSV_NAME} (0 already present); source 'x' added to sources\n"
    )


def test_command_prints_every_row_problem(folder, capsys):
    csv_path = write_csv(folder, row(time_precision="0"), row(event_id_cnty="UKR2", latitude="x"))
    into = str(folder / "events.yaml")
    status, out, err = run_command(
        str(csv_path), "--into", into, "--story", "autumn-2022", capsys=capsys
    )
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "rows.csv:2:1: error: row 'UKR1': time_precision '0' is not 1, 2 or 3 (1 a day, 2 a "
        "week, 3 a month)",
        "rows.csv:3:1: error: row 'UKR2': latitude 'x' is not a number (expected decimal degrees)",
        f"{into}: nothing added: 2 errors",
    ]


def test_command_imports_without_a_story(folder, capsys):
    into = str(folder / "events.yaml")
    status, out, err = run_command(str(folder / CSV_NAME), "--into", into, capsys=capsys)
    assert (status, err) == (0, "")
    assert out == f"{into}: added 7 events from {CSV_NAME} (0 already present)\n"
    events = load_timeline(folder / "events.yaml").raise_if_invalid().events
    assert [event.stories for event in events if event.id.startswith("acled-")] == [()] * 7


def test_imported_events_export_to_every_format(folder):
    imported(folder)
    timeline = load_timeline(folder / "events.yaml")
    for fmt in ("timelinejs", "ics", "geojson", "csv", "json"):
        assert render(timeline, timeline.events, fmt)
