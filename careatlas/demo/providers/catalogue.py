"""The vocabulary of synthetic providers: names, professions, plans, hours, weights."""

from dataclasses import dataclass

# Every demo person carries this prefix, so no synthetic profile can pass for a real one.
DEMO_PREFIX = "Demo"
# CMS issues NPIs starting with 1 or 2 only; demo NPIs start with 9, so they never collide.
DEMO_NPI_LEAD = "9"

# fmt: off
FEMALE_NAMES = (
    "Maria", "Jennifer", "Linda", "Patricia", "Elizabeth", "Susan", "Jessica", "Sarah", "Karen",
    "Nancy", "Lisa", "Betty", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
    "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Laura", "Sharon",
    "Cynthia", "Kathleen", "Amy", "Angela", "Anna", "Brenda", "Emma", "Olivia", "Sophia",
    "Isabella", "Mia", "Ava", "Camila", "Lucia", "Valentina", "Mei", "Ling", "Priya", "Aisha",
    "Fatima", "Yuki", "Hana", "Nadia", "Ines", "Rosa", "Grace", "Chloe", "Zoe", "Leah", "Naomi",
    "Ruth", "Hannah", "Aaliyah", "Keisha", "Tamika", "Ngoc", "Thu"
)
MALE_NAMES = (
    "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas",
    "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven",
    "Paul", "Andrew", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Timothy", "Jose",
    "Luis", "Carlos", "Juan", "Miguel", "Alejandro", "Diego", "Wei", "Jun", "Hiroshi", "Kenji",
    "Raj", "Arjun", "Omar", "Ahmed", "Samuel", "Benjamin", "Elijah", "Lucas", "Noah", "Liam",
    "Ethan", "Mateo", "Andre", "Marcus", "Darnell", "Jamal", "Minh", "Duc", "Ivan", "Dmitri",
    "Pierre", "Tariq", "Hassan", "Kwame"
)
SURNAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans",
    "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
    "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
    "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
    "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
    "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster",
    "Jimenez", "Chen", "Wang", "Li", "Zhang", "Liu", "Singh", "Kumar", "Shah", "Park", "Choi",
    "Tran", "Pham", "Le", "Okafor", "Mensah", "Haddad", "Khan", "Ali", "Cohen", "Rossi",
    "Novak", "Kowalski", "Ivanova", "Petrov", "Silva", "Santos", "Costa", "Yamamoto", "Tanaka",
    "Sato", "Schmidt", "Muller", "Dubois", "Larsen"
)
# fmt: on
MIDDLE_INITIALS = "ABCDEFGHJKLMNPRSTW"
# fmt: off
STREETS = (
    "Oak", "Maple", "Cedar", "Pine", "Elm", "Willow", "Birch", "Aspen", "Magnolia", "Spruce",
    "Hickory", "Sycamore", "Walnut", "Chestnut", "Laurel", "Juniper", "Cypress", "Poplar",
    "Alder", "Hawthorn"
)
# fmt: on
STREET_TYPES = ("Street", "Avenue", "Road", "Boulevard", "Lane", "Drive", "Parkway", "Way")

# BCP 47 code, share of demo providers who speak it (English is nearly universal).
LANGUAGES = (
    ("es", 0.24), ("zh", 0.04), ("vi", 0.02), ("tl", 0.03), ("ko", 0.015), ("ru", 0.015),
    ("ar", 0.015), ("fr", 0.01), ("hi", 0.015), ("pt", 0.01), ("de", 0.005), ("ht", 0.005),
    ("pl", 0.005),
)  # fmt: skip

# (slug, name, issuer, plan type, share of roles that accept it)
INSURANCE_PLANS = (
    (
        "demo-medicare",
        "Medicare (demo listing)",
        "Centers for Medicare & Medicaid Services",
        "medicare",
        0.55,
    ),  # noqa: E501
    ("demo-medicaid", "Medicaid (demo listing)", "State Medicaid agency", "medicaid", 0.35),
    ("demo-bluepeak-ppo", "BluePeak Demo PPO", "BluePeak Demo Health", "ppo", 0.45),
    ("demo-bluepeak-hmo", "BluePeak Demo HMO", "BluePeak Demo Health", "hmo", 0.3),
    ("demo-evergreen-epo", "Evergreen Demo EPO", "Evergreen Demo Mutual", "epo", 0.25),
    ("demo-evergreen-ppo", "Evergreen Demo PPO", "Evergreen Demo Mutual", "ppo", 0.3),
    ("demo-harbor-pos", "Harbor Demo POS", "Harbor Demo Insurance", "pos", 0.2),
    (
        "demo-harbor-advantage",
        "Harbor Demo Medicare Advantage",
        "Harbor Demo Insurance",
        "medicare_advantage",
        0.25,
    ),  # noqa: E501
    ("demo-summit-hmo", "Summit Demo Care HMO", "Summit Demo Care", "hmo", 0.2),
    ("demo-summit-ppo", "Summit Demo Care PPO", "Summit Demo Care", "ppo", 0.2),
    ("demo-prairie-ppo", "Prairie Demo Choice PPO", "Prairie Demo Health", "ppo", 0.15),
    ("demo-coastal-epo", "Coastal Demo Select EPO", "Coastal Demo Health", "epo", 0.15),
)

# Opening-hours patterns (FHIR-shaped periods) and how often each is used.
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
HOURS_TEMPLATES = (
    ([{"days": WEEKDAYS, "opens": "08:00", "closes": "17:00"}], 5),
    ([{"days": WEEKDAYS, "opens": "09:00", "closes": "18:00"}], 3),
    (
        [
            {"days": ["mon", "tue", "wed", "thu"], "opens": "07:00", "closes": "18:00"},
            {"days": ["fri"], "opens": "07:00", "closes": "12:00"},
        ],
        2,
    ),
    (
        [
            {"days": ["mon", "wed", "fri"], "opens": "08:00", "closes": "16:00"},
            {"days": ["tue", "thu"], "opens": "10:00", "closes": "19:00"},
        ],
        2,
    ),
    (
        [
            {"days": ["tue", "wed", "thu", "fri"], "opens": "09:00", "closes": "18:00"},
            {"days": ["sat"], "opens": "09:00", "closes": "13:00"},
        ],
        1,
    ),
    ([], 1),  # hours not known
)
ACCESSIBILITY = (
    ("step_free", 0.7), ("accessible_parking", 0.6), ("parking", 0.7), ("elevator", 0.3),
    ("accessible_restroom", 0.6), ("hearing_loop", 0.05), ("public_transit", 0.3), ("asl", 0.03),
)  # fmt: skip
# Plan-Net accepting-patients codes with their shares.
ACCEPTING = (("newpt", 65), ("existptonly", 10), ("existptfam", 5), ("nopt", 15), ("", 5))
# Group sizes of practices: most are solo or small.
PRACTICE_SIZES = ((1, 45), (2, 25), (3, 15), (4, 8), (6, 5), (10, 2))


@dataclass(frozen=True)
class Profession:
    """How a specialty's demo practitioners look: credentials, boards, practices."""

    weight: int
    credentials: tuple[tuple[tuple[str, ...], int], ...]
    degree: str
    boards: tuple[tuple[str, str], ...] = ()
    certified_share: float = 0.0
    practice_words: tuple[str, ...] = ("Medical Practice",)
    hospital_share: float = 0.0
    telehealth_share: float = 0.2
    insured_plans: tuple[int, int] = (2, 6)
    noun: str = "physician"


PHYSICIAN_CREDENTIALS = ((("MD",), 7), (("DO",), 3))
PROFESSIONS = {
    "physical-therapy": Profession(
        weight=24,
        credentials=((("PT", "DPT"), 6), (("PT",), 3), (("PT", "DPT", "OCS"), 1)),
        degree="DPT",
        boards=(
            ("American Board of Physical Therapy Specialties", "Orthopaedic Clinical Specialist"),
        ),  # noqa: E501
        certified_share=0.2,
        practice_words=("Physical Therapy", "Rehab & Physical Therapy", "Movement Clinic"),
        hospital_share=0.1,
        telehealth_share=0.4,
        noun="physical therapist",
    ),
    "chiropractic": Profession(
        weight=16,
        credentials=((("DC",), 1),),
        degree="DC",
        boards=(
            ("American Chiropractic Board of Sports Physicians", "Chiropractic Sports Physician"),
        ),  # noqa: E501
        certified_share=0.1,
        practice_words=("Chiropractic", "Spine & Wellness", "Chiropractic Center"),
        telehealth_share=0.05,
        insured_plans=(1, 4),
        noun="chiropractor",
    ),
    "massage-therapy": Profession(
        weight=12,
        credentials=((("LMT",), 6), (("LMBT",), 2), (("CMT",), 2)),
        degree="Diploma in Massage Therapy",
        boards=(
            (
                "National Certification Board for Therapeutic Massage & Bodywork",
                "Therapeutic Massage & Bodywork",
            ),
        ),  # noqa: E501
        certified_share=0.3,
        practice_words=("Massage Therapy", "Bodywork Studio"),
        telehealth_share=0.0,
        insured_plans=(0, 2),
        noun="massage therapist",
    ),
    "acupuncture": Profession(
        weight=6,
        credentials=((("LAc",), 5), (("LAc", "Dipl. Ac."), 3), (("LAc", "DACM"), 2)),
        degree="MS in Acupuncture",
        boards=(
            (
                "National Certification Commission for Acupuncture and Oriental Medicine",
                "Acupuncture",
            ),
        ),  # noqa: E501
        certified_share=0.7,
        practice_words=("Acupuncture", "Acupuncture & Herbs"),
        telehealth_share=0.05,
        insured_plans=(0, 3),
        noun="acupuncturist",
    ),
    "osteopathic-medicine": Profession(
        weight=8,
        credentials=((("DO",), 1),),
        degree="DO",
        boards=(
            (
                "American Osteopathic Board of Neuromusculoskeletal Medicine",
                "Neuromusculoskeletal Medicine",
            ),  # noqa: E501
            ("American Osteopathic Board of Family Physicians", "Family Medicine"),
        ),
        certified_share=0.85,
        practice_words=("Osteopathic Medicine", "Family & Osteopathic Care"),
        hospital_share=0.1,
        telehealth_share=0.5,
    ),
    "orthopaedic-surgery": Profession(
        weight=8,
        credentials=((("MD",), 7), (("DO",), 2), (("MD", "FAAOS"), 1)),
        degree="MD",
        boards=(("American Board of Orthopaedic Surgery", "Orthopaedic Surgery"),),
        certified_share=0.9,
        practice_words=("Orthopaedics", "Bone & Joint"),
        hospital_share=0.35,
        telehealth_share=0.4,
        noun="orthopaedic surgeon",
    ),
    "pain-medicine": Profession(
        weight=6,
        credentials=PHYSICIAN_CREDENTIALS,
        degree="MD",
        boards=(
            ("American Board of Anesthesiology", "Pain Medicine"),
            ("American Board of Physical Medicine and Rehabilitation", "Pain Medicine"),
        ),
        certified_share=0.85,
        practice_words=("Pain Management", "Spine & Pain Center"),
        hospital_share=0.25,
        telehealth_share=0.45,
    ),
    "gastroenterology": Profession(
        weight=7,
        credentials=PHYSICIAN_CREDENTIALS,
        degree="MD",
        boards=(("American Board of Internal Medicine", "Gastroenterology"),),
        certified_share=0.9,
        practice_words=("Gastroenterology", "Digestive Health"),
        hospital_share=0.35,
        telehealth_share=0.35,
        noun="gastroenterologist",
    ),
    "ophthalmology": Profession(
        weight=6,
        credentials=PHYSICIAN_CREDENTIALS,
        degree="MD",
        boards=(("American Board of Ophthalmology", "Ophthalmology"),),
        certified_share=0.9,
        practice_words=("Eye Care", "Ophthalmology"),
        hospital_share=0.25,
        telehealth_share=0.1,
        noun="ophthalmologist",
    ),
}
# For a specialty of the content pack that has no profile above.
DEFAULT_PROFESSION = Profession(weight=3, credentials=PHYSICIAN_CREDENTIALS, degree="MD")

# Large US metro areas (centre, approximate 2020 Census metro population in millions). Real
# providers crowd where people live, so most demo practices open within METRO_MILES of one;
# otherwise a demo of a few thousand leaves every city with nobody near it.
# fmt: off
METROS = (
    ("New York", 40.7128, -74.0060, 20.1), ("Los Angeles", 34.0522, -118.2437, 13.2),
    ("Chicago", 41.8781, -87.6298, 9.6), ("Dallas", 32.7767, -96.7970, 7.6),
    ("Houston", 29.7604, -95.3698, 7.1), ("Washington", 38.9072, -77.0369, 6.4),
    ("Philadelphia", 39.9526, -75.1652, 6.2), ("Miami", 25.7617, -80.1918, 6.1),
    ("Atlanta", 33.7490, -84.3880, 6.1), ("Boston", 42.3601, -71.0589, 4.9),
    ("Phoenix", 33.4484, -112.0740, 4.8), ("San Francisco", 37.7749, -122.4194, 4.7),
    ("Detroit", 42.3314, -83.0458, 4.4), ("Seattle", 47.6062, -122.3321, 4.0),
    ("Minneapolis", 44.9778, -93.2650, 3.7), ("San Diego", 32.7157, -117.1611, 3.3),
    ("Tampa", 27.9506, -82.4572, 3.2), ("Denver", 39.7392, -104.9903, 3.0),
    ("Baltimore", 39.2904, -76.6122, 2.8), ("St. Louis", 38.6270, -90.1994, 2.8),
    ("Orlando", 28.5383, -81.3792, 2.7), ("Charlotte", 35.2271, -80.8431, 2.7),
    ("San Antonio", 29.4241, -98.4936, 2.6), ("Portland", 45.5152, -122.6784, 2.5),
    ("Sacramento", 38.5816, -121.4944, 2.4), ("Pittsburgh", 40.4406, -79.9959, 2.4),
    ("Austin", 30.2672, -97.7431, 2.3), ("Las Vegas", 36.1699, -115.1398, 2.3),
    ("Cincinnati", 39.1031, -84.5120, 2.3), ("Kansas City", 39.0997, -94.5786, 2.2),
    ("Columbus", 39.9612, -82.9988, 2.1), ("Indianapolis", 39.7684, -86.1581, 2.1),
    ("Cleveland", 41.4993, -81.6944, 2.1), ("Nashville", 36.1627, -86.7816, 2.0),
)
# fmt: on
METRO_MILES = 20
METRO_SHARE = 0.6
