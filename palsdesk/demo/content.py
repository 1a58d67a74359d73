"""The words of the demo: the fictional trust, its staff, and what patients and families write to PALS about."""

from dataclasses import dataclass

from palsdesk.accounts.permissions import Role
from palsdesk.people.models import Relationship

# Shared by every demo account and printed by `make run`: published on purpose, so never on a real system.
DEMO_PASSWORD = "pals-desk-demo-2026"  # noqa: S105

TRUST_NAME = "Northgate and Riverside Hospitals NHS Foundation Trust"
# Not a real trust's code; the demo is recognised by it, so loading twice changes nothing.
TRUST_ODS_CODE = "RX9"
TRUST_ADDRESS = "Northgate General Hospital\nInfirmary Road\nNorthgate\nNX1 4HG"
TRUST_PHONE = "01632 960000"  # Ofcom's drama range: never a real line
TRUST_EMAIL = "pals@northgate-riverside.nhs.example"
TRUST_WEBSITE = "https://www.northgate-riverside.nhs.example"

DIVISIONS = [
    ("MED", "Medicine and Emergency Care"),
    ("SURG", "Surgery"),
    ("WAC", "Women's and Children's"),
    ("CSS", "Clinical Support Services"),
]

SITES = [
    ("RX901", "Northgate General Hospital", "Infirmary Road\nNorthgate\nNX1 4HG"),
    ("RX902", "Riverside Hospital", "Quay Street\nRiverside\nRV2 7JP"),
    ("RX903", "St Aidan's Community Hospital", "Chapel Hill\nEastbrook\nNX7 2DW"),
    ("RX904", "Eastbrook Treatment Centre", "Eastbrook Business Park\nEastbrook\nNX8 1TR"),
    ("RX905", "Kingsmead Diagnostic Centre", "Kingsmead Way\nKingsmead\nRV5 3AB"),
    ("RX906", "Millford Birth Centre", "Millford Road\nMillford\nRV8 4LS"),
]

# Who a service's patients usually are, which decides their ages and who speaks for them.
ADULTS = "adults"
OLDER_PEOPLE = "older people"
CHILDREN = "children"
BABIES = "babies"
MOTHERS = "mothers"


@dataclass(frozen=True)
class DemoService:
    code: str
    name: str
    specialty: str
    division: str
    sites: tuple[str, ...]
    patients: str


SERVICES = [
    DemoService("ED", "Emergency Department (A&E)", "Emergency medicine", "MED", ("RX901", "RX902"), ADULTS),
    DemoService("AMU", "Acute Medical Unit", "Acute internal medicine", "MED", ("RX901",), OLDER_PEOPLE),
    DemoService("CARD", "Cardiology", "Cardiology", "MED", ("RX901", "RX905"), ADULTS),
    DemoService("RESP", "Respiratory Medicine", "Respiratory medicine", "MED", ("RX901",), OLDER_PEOPLE),
    DemoService("WARD7", "Ward 7 (Respiratory)", "Respiratory medicine", "MED", ("RX901",), OLDER_PEOPLE),
    DemoService("ELDER", "Care of Older People", "Geriatric medicine", "MED", ("RX902", "RX903"), OLDER_PEOPLE),
    DemoService("STROKE", "Stroke Unit", "Stroke medicine", "MED", ("RX902",), OLDER_PEOPLE),
    DemoService("GASTRO", "Gastroenterology and Endoscopy", "Gastroenterology", "MED", ("RX901", "RX904"), ADULTS),
    DemoService("DIAB", "Diabetes and Endocrinology", "Diabetic medicine", "MED", ("RX902",), ADULTS),
    DemoService("ONC", "Oncology and Haematology", "Clinical oncology", "MED", ("RX901",), ADULTS),
    DemoService("GENSURG", "General Surgery", "General surgery", "SURG", ("RX901", "RX902"), ADULTS),
    DemoService("ORTHO", "Trauma and Orthopaedics", "Trauma and orthopaedics", "SURG", ("RX902", "RX904"), ADULTS),
    DemoService("FRACTURE", "Fracture Clinic", "Trauma and orthopaedics", "SURG", ("RX902",), ADULTS),
    DemoService("UROL", "Urology", "Urology", "SURG", ("RX901",), OLDER_PEOPLE),
    DemoService("ENT", "Ear, Nose and Throat", "Otolaryngology", "SURG", ("RX902",), ADULTS),
    DemoService("OPHTH", "Eye Clinic (Ophthalmology)", "Ophthalmology", "SURG", ("RX904",), OLDER_PEOPLE),
    DemoService("DAYSURG", "Day Surgery Unit", "General surgery", "SURG", ("RX904",), ADULTS),
    DemoService("WARD12", "Ward 12 (Surgical)", "General surgery", "SURG", ("RX901",), ADULTS),
    DemoService("ICU", "Critical Care", "Intensive care medicine", "SURG", ("RX901",), ADULTS),
    DemoService("MAT", "Maternity", "Obstetrics", "WAC", ("RX901", "RX906"), MOTHERS),
    DemoService("LABOUR", "Labour Ward", "Obstetrics", "WAC", ("RX901",), MOTHERS),
    DemoService("NNU", "Neonatal Unit", "Neonatology", "WAC", ("RX901",), BABIES),
    DemoService("PUFFIN", "Puffin Ward (Children's)", "Paediatrics", "WAC", ("RX901",), CHILDREN),
    DemoService("PAEDOP", "Children's Outpatients", "Paediatrics", "WAC", ("RX902",), CHILDREN),
    DemoService("GYNAE", "Gynaecology and Early Pregnancy", "Gynaecology", "WAC", ("RX902",), MOTHERS),
    DemoService("RAD", "Radiology", "Clinical radiology", "CSS", ("RX901", "RX902", "RX905"), ADULTS),
    DemoService("PATH", "Pathology and Phlebotomy", "Chemical pathology", "CSS", ("RX901", "RX905"), ADULTS),
    DemoService("PHARM", "Pharmacy", "Pharmacy", "CSS", ("RX901", "RX902"), ADULTS),
    DemoService("OPD", "Outpatients and Appointments", "", "CSS", ("RX901", "RX902", "RX904"), ADULTS),
    DemoService("THERAPY", "Physiotherapy and Therapies", "Physiotherapy", "CSS", ("RX902", "RX903"), ADULTS),
    DemoService("TRANSPORT", "Patient Transport", "", "CSS", ("RX901", "RX902"), OLDER_PEOPLE),
    DemoService("FACILITIES", "Car Parking and Facilities", "", "CSS", ("RX901", "RX902"), ADULTS),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    job_title: str
    divisions: tuple[str, ...] = ()


ALL_DIVISIONS = tuple(code for code, _ in DIVISIONS)

USERS = [
    DemoUser("pals.officer", "Priya", "Shah", Role.PALS_OFFICER, "PALS officer", ("MED", "SURG")),
    DemoUser("pals.officer2", "Tom", "Barker", Role.PALS_OFFICER, "PALS officer", ("WAC", "CSS")),
    DemoUser("pals.lead", "Grace", "Okafor", Role.PALS_OFFICER, "Patient experience and PALS lead", ALL_DIVISIONS),
    DemoUser("coordinator", "Helen", "Price", Role.COORDINATOR, "Complaints co-ordinator", ALL_DIVISIONS),
    DemoUser("dm.medicine", "James", "Whitfield", Role.DIVISIONAL_MANAGER, "Divisional manager, Medicine", ("MED",)),
    DemoUser("dm.surgery", "Sarah", "Kaur", Role.DIVISIONAL_MANAGER, "Divisional manager, Surgery", ("SURG",)),
    DemoUser("dm.womens", "Rachel", "Adeyemi", Role.DIVISIONAL_MANAGER, "Head of Midwifery", ("WAC",)),
    DemoUser(
        "dm.support", "Mark", "Ellison", Role.DIVISIONAL_MANAGER, "Divisional manager, Clinical Support", ("CSS",)
    ),
    DemoUser("approver", "Catherine", "Lowe", Role.APPROVER, "Chief Nurse"),
    DemoUser("volunteer", "Margaret", "Hughes", Role.VOLUNTEER, "PALS volunteer, main entrance help desk"),
    DemoUser("admin", "Daniel", "Reeve", Role.ADMINISTRATOR, "PALS Desk system administrator"),
    DemoUser("auditor", "Alan", "Fisher", Role.AUDITOR, "Internal auditor"),
]

# Who investigates a division's complaints.
INVESTIGATOR_OF = {"MED": "dm.medicine", "SURG": "dm.surgery", "WAC": "dm.womens", "CSS": "dm.support"}
# Who picks up a division's PALS work first.
PALS_OFFICER_OF = {"MED": "pals.officer", "SURG": "pals.officer", "WAC": "pals.officer2", "CSS": "pals.officer2"}

# People. Plain lists rather than a fake-data library: the demo must read the same every time it loads.
WOMEN = [
    "Margaret", "Susan", "Janet", "Patricia", "Linda", "Sarah", "Emma", "Claire", "Rachel", "Laura",
    "Hannah", "Sophie", "Chloe", "Aisha", "Fatima", "Priya", "Anjali", "Zainab", "Agnieszka", "Joanna",
    "Siobhan", "Bethan", "Niamh", "Kerry", "Donna", "Tracey", "Jean", "Doreen", "Eileen", "Yvonne",
    "Abimbola", "Mei", "Leanne", "Gemma", "Nicola", "Shabana", "Ruth", "Pauline", "Amira", "Kirsty",
]  # fmt: skip
MEN = [
    "David", "John", "Michael", "Peter", "Paul", "Stephen", "Andrew", "Mark", "Gary", "Darren",
    "Lee", "Craig", "Jamie", "Ryan", "Callum", "Liam", "Oliver", "Harry", "George", "Mohammed",
    "Imran", "Tariq", "Rajesh", "Sanjay", "Kwame", "Tomasz", "Piotr", "Declan", "Gareth", "Rhys",
    "Alan", "Brian", "Derek", "Keith", "Trevor", "Colin", "Graham", "Ian", "Samuel", "Daniel",
]  # fmt: skip
GIRLS = ["Poppy", "Isla", "Freya", "Ava", "Evie", "Lily", "Amelia", "Maryam", "Olivia", "Rosie", "Zara", "Ella"]
BOYS = ["Alfie", "Noah", "Leo", "Archie", "Jack", "Muhammad", "Oscar", "Theo", "Harrison", "Kai", "Ethan", "Louis"]
SURNAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
    "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
    "Patel", "Khan", "Ahmed", "Hussain", "Begum", "Singh", "Kaur", "Shah", "Okoye", "Mensah",
    "Nowak", "Kowalski", "O'Brien", "Murphy", "Kelly", "McDonald", "Campbell", "Stewart", "Hughes", "Edwards",
    "Lewis", "Morgan", "Price", "Harrison", "Cooper", "Ward", "Turner", "Hill", "Moore", "Baker",
    "Chapman", "Fletcher", "Barnes", "Holmes", "Lawson", "Fraser", "Ali", "Chowdhury", "Ndlovu", "Lee",
]  # fmt: skip
STREETS = [
    "Station Road", "Church Lane", "Victoria Street", "Mill Lane", "The Crescent", "Park Avenue", "Queens Road",
    "Orchard Close", "Meadow View", "Riverside Walk", "Albert Terrace", "Kingsway", "Beech Grove", "Elm Drive",
    "Highfield Road", "Marsh Lane", "Nelson Street", "Cherry Tree Way", "Bridge Street", "Farm Close",
]  # fmt: skip
# Outward codes in the made-up NX and RV postcode areas (neither exists), so no address is anyone's home.
TOWNS = [
    ("Northgate", "NX1"), ("Northgate", "NX2"), ("Northgate", "NX3"), ("Eastbrook", "NX7"), ("Eastbrook", "NX8"),
    ("Riverside", "RV1"), ("Riverside", "RV2"), ("Kingsmead", "RV5"), ("Millford", "RV8"), ("Ashby Vale", "RV9"),
]  # fmt: skip
INTERPRETER_LANGUAGES = ["Polish", "Urdu", "Bengali", "Punjabi", "Romanian", "Portuguese", "Arabic", "Lithuanian"]
COMMUNICATION_NOTES = [
    "Prefers calls after 2pm.",
    "Please speak slowly and face her when talking.",
    "Uses a text relay service; allow extra time on calls.",
    "Daughter helps with letters; happy for her to be copied in.",
    "Finds long letters hard to follow: short sentences, please.",
]

# MPs for the made-up constituencies around the trust.
MPS = [
    ("Ms", "Joanna", "Fairweather", "Northgate North"),
    ("Mr", "Richard", "Osei", "Riverside and Eastbrook"),
    ("Dr", "Hannah", "Lindqvist", "Kingsmead and Millford"),
]
MP_OFFICE = ("House of Commons", "London", "SW1A 0AA")


PATIENT = "patient"
CHILD = Relationship.CHILD
SPOUSE = Relationship.SPOUSE
PARENT = Relationship.PARENT


@dataclass(frozen=True)
class Summary:
    """What a case is about, in the words a PALS officer would log it with."""

    service: str
    text: str
    account: str = ""
    # When the words say who raised it: PATIENT, or how the relative who did is related to the patient.
    raised_by: str = ""
    # When the words say whether the patient is a woman ("mother") or a man ("husband").
    patient_is_woman: bool | None = None
    patient_has_died: bool = False


PALS_CONCERNS = [
    Summary("ED", "Waited nine hours in A&E with no update on when he would be seen",
            "Her husband arrived by ambulance at 6pm and was still waiting at 3am. Nobody told them why.",
            raised_by=SPOUSE, patient_is_woman=False),
    Summary("ED", "Elderly mother left on a trolley in the corridor overnight", raised_by=CHILD, patient_is_woman=True),
    Summary("ED", "Not offered food or water during a long wait in A&E",
            "Diabetic and felt faint; had to ask three times before anyone brought a sandwich."),
    Summary("AMU", "Discharged late at night with no transport home",
            "Sent home at 11pm with a taxi number. He is 84 and lives alone.", raised_by=CHILD, patient_is_woman=False),
    Summary("AMU", "Family not told that dad had been moved to another ward", raised_by=CHILD, patient_is_woman=False),
    Summary("CARD", "Cardiology follow-up appointment cancelled three times",
            "Each time the letter arrived the week before. He is anxious about his heart and wants a firm date.",
            patient_is_woman=False),
    Summary("CARD", "Waiting over two months for echocardiogram results"),
    Summary("RESP", "Home oxygen not arranged before discharge"),
    Summary("WARD7", "Call bell not answered on Ward 7; mother left wet for hours",
            "Her daughter visited at 2pm and found her mother had been calling for help since the morning.",
            raised_by=CHILD, patient_is_woman=True),
    Summary("WARD7", "Visiting times on Ward 7 changed without notice"),
    Summary("ELDER", "Hearing aids lost during admission"),
    Summary("ELDER", "Dentures went missing after a move between wards",
            "Now unable to eat properly. The family want them found or replaced."),
    Summary("STROKE", "Family unable to get an update from the stroke team", raised_by=CHILD),
    Summary("GASTRO", "Endoscopy letter arrived after the appointment date"),
    Summary("DIAB", "Insulin not given on time while an inpatient"),
    Summary("ONC", "Chemotherapy delayed because blood results were not ready"),
    Summary("GENSURG", "Operation cancelled on the day after fasting since midnight",
            "Waited on the ward all day, then told at 5pm there was no bed in recovery.", raised_by=PATIENT),
    Summary("ORTHO", "Hip replacement postponed twice with no new date"),
    Summary("FRACTURE", "Cast too tight and no one would look at it in fracture clinic"),
    Summary("UROL", "Catheter supplies not arranged on discharge"),
    Summary("ENT", "Waiting over a year for sinus surgery with no date", raised_by=PATIENT),
    Summary("OPHTH", "Eye clinic running two hours late with no explanation"),
    Summary("OPHTH", "Cataract surgery date keeps moving"),
    Summary("DAYSURG", "Kept in recovery until 10pm without food after day surgery"),
    Summary("WARD12", "Pain relief not given promptly after surgery on Ward 12",
            "Asked for pain relief at 10pm and was given it at 1am."),
    Summary("ICU", "Family not kept informed while their son was in critical care", raised_by=PARENT,
            patient_is_woman=False),
    Summary("MAT", "Partner asked to leave the postnatal ward at 8pm"),
    Summary("MAT", "Felt rushed and not listened to at antenatal appointment", raised_by=PATIENT),
    Summary("MAT", "No breastfeeding support available at the weekend"),
    Summary("NNU", "Parents unable to stay overnight with their baby on the neonatal unit"),
    Summary("PUFFIN", "Child waited four hours for pain relief on Puffin Ward"),
    Summary("PAEDOP", "Autism assessment cancelled at short notice",
            "The family had waited 14 months and took a day off work. The new date is four months away."),
    Summary("GYNAE", "Early pregnancy unit would not see her without a GP referral"),
    Summary("RAD", "MRI results not with the consultant at clinic"),
    Summary("RAD", "Called for a scan that had already been done"),
    Summary("PATH", "Blood test queue out of the door at Kingsmead; no appointments"),
    Summary("PHARM", "Waited three hours for discharge medication",
            "Ready to go home at 11am but the tablets did not come up from pharmacy until 2pm."),
    Summary("OPD", "Appointment letters sent to an old address"),
    Summary("OPD", "Cannot get through to the appointments line"),
    Summary("THERAPY", "Physiotherapy after knee surgery not started for six weeks"),
    Summary("TRANSPORT", "Patient transport collected her four hours late from clinic", patient_is_woman=True),
    Summary("TRANSPORT", "Patient transport did not arrive for an outpatient appointment"),
    Summary("FACILITIES", "Parking fine issued while in A&E with a sick child", raised_by=PATIENT),
    Summary("FACILITIES", "Blue badge bays at Riverside always full"),
    Summary("FACILITIES", "Ward too cold at night and no extra blankets"),
]  # fmt: skip

COMPLAINTS = [
    Summary("ED", "Fractured wrist missed in A&E and diagnosed ten days later",
            "He fell at home and was told in A&E it was a sprain. Ten days later the fracture clinic found a "
            "fracture that was visible on the first X-ray.", patient_is_woman=False),
    Summary("ED", "Mother's sepsis not recognised during a twelve-hour wait",
            "She had a high temperature and was confused. Observations were not repeated for five hours.",
            raised_by=CHILD, patient_is_woman=True),
    Summary("AMU", "Father discharged at 2am without the family being told, and fell at home",
            "The family found him on the kitchen floor the next morning. Nobody had checked he could manage.",
            raised_by=CHILD, patient_is_woman=False),
    Summary("CARD", "Delay in diagnosing heart failure despite three attendances", raised_by=PATIENT,
            account="Sent home three times with 'anxiety'. Heart failure was diagnosed on the fourth visit."),
    Summary("WARD7", "Mother developed a grade 3 pressure ulcer on Ward 7",
            "She went in with healthy skin and came out with a pressure ulcer that is still being dressed.",
            raised_by=CHILD, patient_is_woman=True),
    Summary("ELDER", "Poor end-of-life care and the family not told how ill dad was",
            "The family were told he was improving. He died two days later; they were not there.",
            raised_by=CHILD, patient_is_woman=False, patient_has_died=True),
    Summary("STROKE", "Too little therapy on the stroke unit slowed recovery",
            "Physiotherapy was cancelled most days because of staffing. He left unable to walk unaided.",
            patient_is_woman=False),
    Summary("RESP", "Night nurse was rude and dismissive",
            "When she asked for help to the toilet she was told to 'just go in the pad'.", patient_is_woman=True),
    Summary("GENSURG", "Complication after bowel surgery not explained and follow-up lost",
            "Readmitted with a leak. Nobody has explained what happened and the follow-up appointment never came."),
    Summary("ORTHO", "Hip operation cancelled twice with no explanation",
            "Cancelled on the day twice after fasting. In constant pain and now unable to work.", raised_by=PATIENT),
    Summary("ORTHO", "Infection after knee replacement not treated promptly"),
    Summary("UROL", "Urgent cancer referral not made within two weeks",
            "The GP referral was marked urgent but the first appointment was seven weeks later."),
    Summary("OPHTH", "Sight loss after a missed glaucoma follow-up",
            "The six-month review was never booked. At the next visit the pressure had damaged her sight.",
            patient_is_woman=True),
    Summary("WARD12", "Left in soiled bedding; dignity not respected on Ward 12"),
    Summary("DAYSURG", "Procedure not explained before consent was signed"),
    Summary("ICU", "Communication with the family in critical care was poor",
            "Different doctors gave different answers and nobody led the conversations with the family.",
            raised_by=SPOUSE),
    Summary("MAT", "Concerns about care in labour and a delayed emergency caesarean",
            "She asked repeatedly for a doctor. The baby's heart rate dropped and the caesarean was delayed."),
    Summary("MAT", "Not listened to about reduced baby movements"),
    Summary("LABOUR", "Pain relief in labour refused and not explained"),
    Summary("NNU", "Baby's feeding plan not followed; weight loss not acted on"),
    Summary("PUFFIN", "Child's appendicitis missed on the first attendance",
            "Sent home with constipation. Back the next day with a burst appendix needing surgery."),
    Summary("GYNAE", "Miscarriage managed without privacy or compassion",
            "She was told on a corridor, then left in a bay with women who had just given birth.", raised_by=PATIENT),
    Summary("RAD", "Scan report showing a mass not acted on for four months",
            "The report was sent to a clinic she was no longer under. Nobody followed it up.", patient_is_woman=True),
    Summary("PATH", "Blood sample lost twice, delaying chemotherapy"),
    Summary("PHARM", "Wrong dose of warfarin on the discharge prescription",
            "The discharge letter said 5mg instead of 0.5mg. The GP practice noticed a week later."),
    Summary("OPD", "Oncology appointments cancelled again and again"),
    Summary("THERAPY", "Discharged from physiotherapy without being assessed"),
    Summary("TRANSPORT", "Wheelchair user left stranded at Riverside by patient transport", raised_by=PATIENT,
            account="Waited until 9pm in the discharge lounge. Transport had been cancelled without telling anyone."),
]  # fmt: skip

COMPLIMENTS = [
    Summary("WARD7", "Thank you to the staff on Ward 7 for caring for our mum", raised_by=CHILD, patient_is_woman=True),
    Summary("ED", "Thank you to the A&E team for their kindness on a busy night"),
    Summary("MAT", "Midwives made the birth of our daughter a wonderful experience"),
    Summary("CARD", "Praise for the cardiology nurses and their clear explanations"),
    Summary("STROKE", "The stroke team gave dad his independence back", raised_by=CHILD, patient_is_woman=False),
    Summary("WARD12", "Thank you to the nurses, porters and domestic staff on Ward 12"),
    Summary("NNU", "Outstanding care from the neonatal unit over eight weeks"),
    Summary("PUFFIN", "Puffin Ward made our son's stay much less frightening"),
    Summary("FRACTURE", "Fracture clinic saw me quickly and explained everything", raised_by=PATIENT),
    Summary("RAD", "Thank you to the radiographer who calmed my claustrophobia", raised_by=PATIENT),
    Summary("PHARM", "Pharmacy team went out of their way to get medicines ready"),
    Summary("THERAPY", "Physiotherapist's encouragement after my knee replacement", raised_by=PATIENT),
    Summary("DAYSURG", "Day surgery ran like clockwork from start to finish", raised_by=PATIENT),
    Summary("PATH", "Kind and patient phlebotomist at Kingsmead"),
    Summary("ELDER", "Palliative care nurses supported our whole family", raised_by=CHILD),
    Summary("OPHTH", "Eye clinic staff were friendly and efficient"),
    Summary("ICU", "Thank you to critical care for saving my husband's life", raised_by=SPOUSE, patient_is_woman=False),
    Summary(
        "GENSURG", "Surgeon took time to explain the operation to my mother", raised_by=CHILD, patient_is_woman=True
    ),
]

ENQUIRIES = [
    Summary("OPD", "How to get a copy of medical records"),
    Summary("FACILITIES", "How to get a parking permit for regular visits"),
    Summary("MAT", "Visiting on the maternity unit"),
    Summary("ELDER", "Whether a carer can stay overnight with a patient with dementia", raised_by=Relationship.CARER),
    Summary("OPD", "How to change an outpatient appointment"),
    Summary("OPD", "Whether an interpreter can be booked for an appointment"),
    Summary("ED", "Lost property: glasses left in the emergency department"),
    Summary("AMU", "Which ward a relative has been moved to", raised_by=CHILD),
    Summary("FACILITIES", "How to claim back travel costs for appointments"),
    Summary("STROKE", "Whether a relative can be transferred to a hospital nearer home", raised_by=SPOUSE),
    Summary("OPHTH", "How long the waiting list is for cataract surgery"),
    Summary("PAEDOP", "Accessible parking near the children's outpatients"),
    Summary("TRANSPORT", "Who is eligible for patient transport"),
    Summary("ONC", "Support available for carers of patients having chemotherapy", raised_by=SPOUSE),
]

MP_LETTERS = [
    Summary("ORTHO", "Constituent's long wait for hip surgery",
            "My constituent has been waiting 60 weeks for a hip replacement and has had two cancellations."),
    Summary("ED", "Constituent's concerns about A&E waiting times",
            "My constituent waited 14 hours in the emergency department after a fall at home."),
    Summary("WARD7", "Constituent's discharge from Ward 7 without a care package",
            "My constituent was sent home from Ward 7 before the care package she needs was in place.",
            patient_is_woman=True),
    Summary("UROL", "Constituent's cancelled urology cancer appointment"),
    Summary("MAT", "Constituent's concerns about her maternity care",
            account="My constituent feels she was not listened to in labour and would like answers."),
    Summary("PAEDOP", "Constituent's child's wait for an autism assessment"),
    Summary("FACILITIES", "Constituent charged for parking while visiting a dying relative", raised_by=PATIENT),
]  # fmt: skip

OUTCOMES_WANTED = [
    "An apology and an explanation of what went wrong.",
    "To know what the trust will change so this does not happen to anyone else.",
    "A meeting with the consultant to go through what happened.",
    "A firm date for the operation.",
    "An explanation of the decisions made about his care.",
    "For the staff involved to reflect on how they spoke to her.",
    "Answers to the questions in the letter, in writing.",
]
PALS_OUTCOMES_WANTED = [
    "A call back from someone on the ward today.",
    "A new appointment as soon as possible.",
    "To be told what is happening.",
    "For the items to be found or replaced.",
    "",
]

# What happens on a case, in the words a caseworker would put on its timeline.
# (who the officer rang, what they agreed); "{service}" is the service the case is about.
PALS_CALLS_TO_SERVICE = [
    ("Nurse in charge, {service}", "Explained the concern. She will speak to the family before the end of the shift."),
    ("Service manager, {service}", "Passed on the concern and asked for a reply by the end of the week."),
    ("Ward manager, {service}", "Looking into it and will call me back this afternoon."),
    ("Matron, {service}", "Apologised, and will go through what happened with the team at handover."),
    ("Team leader, {service}", "Will check the records and ring the patient directly today."),
]
PALS_CALLS_TO_COMPLAINANT = [
    "Explained what the team has done about it and passed on their apology. Happy for the concern to be closed.",
    "Passed on the service's explanation. Satisfied with the outcome.",
    "Explained the reasons. Not entirely happy but does not want to make a formal complaint.",
    "Confirmed the service has put things right. Thanked PALS for their help.",
    "Gave the direct number for the team in case it happens again. Content for the concern to be closed.",
]
PALS_NOTES = [
    "Emailed the service manager asking for an update by Friday.",
    "Checked the patient administration system for the admission and appointment details.",
    "Left a voicemail asking the caller to ring PALS back.",
    "Passed on to the team leader as agreed.",
]
COMPLIMENT_NOTES = [
    "Thanks shared with the ward manager and added to the staff newsletter.",
    "Card passed to the team and a copy sent to the divisional director.",
    "Shared with the staff named, who were delighted. Included in the monthly good news report.",
]
ENQUIRY_ANSWERS = [
    "Sent the information by email with the link to the trust's website.",
    "Explained the process on the phone and posted the form.",
    "Gave the ward's direct number and the visiting times.",
    "Put the caller in touch with the right team, who will call back.",
]
# What the caseworker notes about an acknowledgement, by how it was sent (cases.models.AcknowledgementMethod).
MP_ACKNOWLEDGEMENT_NOTES = {
    "email": ["Acknowledged to the MP's office by email; the reply will come from the chief executive."],
    "letter": ["Acknowledgement letter sent to the MP's constituency office."],
}
MP_OFFICE_CALLS = [
    "MP's caseworker asked for an update; told the reply is with the investigating manager.",
    "MP's office confirmed the constituent's new address for the reply.",
]
MP_APPROVAL_NOTES = ["Reply approved for the chief executive's signature."]
MP_REPLY_SENT_NOTES = ["Reply signed by the chief executive and emailed to the MP's office."]
ESCALATION_REASON = "Not satisfied with the PALS response; wants a formal investigation and a written response."
# Regulation 13(2): acknowledged in writing, or by phone or in person and confirmed in writing.
ACKNOWLEDGEMENT_NOTES = {
    "letter": [
        "Acknowledgement letter sent with the complaints leaflet and details of independent advocacy (POhWER).",
        "Acknowledgement letter posted. Offered a local resolution meeting.",
    ],
    "email": [
        "Acknowledged by email; offered a call to agree the questions to be answered.",
        "Acknowledgement emailed with the complaints leaflet and advocacy details attached.",
    ],
    "phone": [
        "Rang to acknowledge and talk through the complaint; confirmed in writing with the complaints leaflet.",
    ],
    "in_person": [
        "Acknowledged in person at the PALS office; confirmed in writing the same day with the complaints leaflet.",
    ],
}
INVESTIGATION_NOTES = [
    "Statements requested from the nurse in charge and the consultant.",
    "Medical records requested from health records and reviewed.",
    "Met the ward manager to go through the nursing notes and observations.",
    "Spoke to the consultant, who is happy to meet the family if they wish.",
    "Incident report found on the risk management system; reviewed with the governance lead.",
    "Rota checked for the night in question: two registered nurses short.",
]
COMPLAINANT_CALLS = [
    "Agreed the questions to be answered. Would prefer a written response to a meeting.",
    "Called for an update. Explained the investigation is under way and when to expect the response.",
    "Discussed the complaint; would like to meet the consultant once the investigation is finished.",
    "Confirmed the address for the response and that email is fine.",
]
RETURN_REASONS = [
    "The draft does not answer question 3 about the delay to pain relief.",
    "Please add a clear apology and say what the ward is changing as a result.",
    "The tone is defensive in places; please rewrite the second paragraph in plain English.",
    "The dates in the timeline do not match the nursing notes; please check and correct.",
]
APPROVAL_NOTES = [
    "Response read and approved for signature.",
    "Approved with one change: add the matron's name as the contact for follow-up.",
    "Approved. Please make sure the learning goes to the divisional governance meeting.",
]
RESPONSE_SENT_NOTES = [
    "Final response sent by email and post.",
    "Response posted first class; copy emailed to the complainant.",
]
WITHDRAWAL_REASONS = [
    "Complainant rang to say the operation has now been done and they do not wish to continue.",
    "Patient has resolved things directly with the consultant at clinic and asked us to close the complaint.",
    "Family have decided not to pursue the complaint at this difficult time.",
]
REOPEN_REASONS = [
    "Complainant wrote back: the response did not explain why the scan result was not acted on.",
    "Family remain unhappy with the answer about discharge planning and have asked for a meeting.",
]
REASSIGNMENT_REASONS = ["Cover for annual leave.", "Rebalancing caseloads.", "Cover while off sick."]

# The clocks (regulations 12 to 14): agreed response dates, extensions, holds, late complaints and delay letters.
# How a response date was agreed with the complainant, after their name: "Mrs Okafor, by phone".
AGREED_HOW = ["by phone", "by phone", "by phone", "by email"]
EXTENSION_REASONS = [
    "Awaiting a statement from the consultant, who is on annual leave until next week.",
    "Awaiting a statement from the agency nurse on duty that night, requested through the agency.",
    "Awaiting the GP practice's records, requested to check what was sent on discharge.",
    "Awaiting copies of the patient's records from the other trust involved in her care.",
    "An independent clinical review has been commissioned from a consultant at another trust.",
    "The family asked to meet the consultant before the written response; the first date all can make is next week.",
]
CONSENT_HOLD_NOTE = "Consent form sent to the patient. Nothing from the records can be shared until it is back."
COMPLAINANT_HOLD_NOTES = [
    "Asked for the dates of the appointments and copies of the letters mentioned; paused until they arrive.",
    "Asked which of the two admissions the complaint is about; paused until the complainant replies.",
    "Sent our summary of the questions for the complainant to check and add to; paused until they reply.",
]
COMPLAINANT_INFORMATION_RECEIVED = [
    "Sent the dates and copies of the letters, as asked.",
    "Confirmed the admission and added a question about the discharge.",
    "Agreed the summary of questions, with one addition about the night staff.",
]
PALS_CHASES = [
    "Chased the service manager again: still waiting for the ward's reply.",
    "Left a second message for the matron; the family have rung twice for news.",
    "Chased by email and copied in the divisional manager.",
]
ACKNOWLEDGEMENT_DRAFTED = "Complaint letter scanned; acknowledgement letter drafted to go out today."
LATE_COMPLAINT_TAKEN_ON = Summary(
    "ORTHO",
    "Infection after knee replacement not treated promptly",
    "The operation was 17 months ago. He says the wound was red and leaking for a week before anyone took a swab, "
    "and he needed a second operation. He was having chemotherapy for most of the following year.",
    raised_by=PATIENT,
    patient_is_woman=False,
)
LATE_COMPLAINT_TAKEN_ON_RATIONALE = (
    "Good reasons: Mr {name} was having chemotherapy for most of the year after the operation and could not deal with "
    "correspondence; he wrote as soon as he was well enough. Still possible to investigate fairly: the operation "
    "notes, the wound photographs and the microbiology results are on the record, and the surgeon and the ward "
    "manager are still in post."
)
LATE_COMPLAINT_DECLINED = Summary(
    "OPD",
    "Receptionist at the outpatients desk was rude about a missed appointment",
    "About an appointment three and a half years ago. Says the receptionist spoke to her rudely in front of others.",
    raised_by=PATIENT,
    patient_is_woman=True,
)
LATE_COMPLAINT_DECLINED_RATIONALE = (
    "Made three and a half years after the appointment, and no reason was given for the delay (she says she "
    "'has only just got round to it'). It could not now be investigated fairly: the desk was not recorded, the "
    "agency receptionists of the time cannot be identified, and nobody will remember a conversation from then."
)
LATE_COMPLAINT_DECLINED_CLOSING = (
    "Not taken on: made more than 12 months after the events, without good reason (regulation 12). Wrote to explain, "
    "with an apology for her experience and the Parliamentary and Health Service Ombudsman's details."
)
INCIDENT_HOLD_NOTE = (
    "A patient safety incident investigation (PSII) is under way. Agreed with the family that the complaint response "
    "will follow its findings, so that they get one full answer."
)
INCIDENT_UPDATES = [
    "Rang the family with an update: the PSII panel has met and the report is being drafted.",
    "PSII report delayed: the external reviewer needs another month. The family have been told by phone.",
]
INDEPENDENT_REVIEW_RECEIVED = (
    "The independent clinical review arrived today; the investigating manager is drafting the response."
)
LATE_EXTENSION_REASON = "The independent clinical review is later than promised: the reviewer was off sick for a month."
LATE_EXTENSION_LATE_REASON = (
    "The case officer was off sick when the agreed date passed and no one rang the family; "
    "apologised for that in the delay letter and agreed the new date by phone the same day."
)
REDUCED_MOVEMENTS_HOLD_NOTE = (
    "Asked her for the dates of her antenatal appointments and the name of the midwife she spoke to on the phone; "
    "the investigation waits for her reply."
)
RESPONSE_CHASE = (
    "Chased the investigating manager: two statements are still outstanding. Rang the complainant to apologise "
    "that the response will be late."
)
