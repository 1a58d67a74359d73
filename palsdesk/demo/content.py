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
# A complaint's final response, as the co-ordinator edits it and the approver signs it: after the thanks,
# a paragraph for each element of regulation 14(2), which the approver ticks (FINAL_RESPONSE_CHECKS).
FINAL_RESPONSE = (
    "<p>Thank you for your complaint, which we received on {received}. I am sorry for the distress it describes.</p>"
    "<p>Your complaint was investigated by the divisional manager, who read the records and spoke to the staff "
    "involved.</p>"
    "<p>We have reached a conclusion on each part of your complaint, and the division has agreed what needs to "
    "change.</p>"
    "<p>We are satisfied that the actions we have taken, and those we have planned, put right what went wrong.</p>"
    "<p>If you are not satisfied with this response, you may ask the Parliamentary and Health Service Ombudsman "
    "to look at your complaint.</p>"
)
FINAL_RESPONSE_CHECKS = {"how_considered": 2, "conclusions": 3, "actions": 4, "ombudsman": 5}
FINAL_RESPONSE_SIGNED_AS = "Chief Nurse, for the Chief Executive"
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

# Grading and coding (docs/decisions/0010): how serious each complaint is, and what each case is about, coded for
# KO41a (and HCAT for most complaints) by the codes' slugs in palsdesk/coding/data/.

# Why the co-ordinator gave a complaint its grade: a sentence for the consequence (NPSA 1 negligible to
# 5 catastrophic), then one for the likelihood of it happening again (1 rare to 5 almost certain).
GRADING_CONSEQUENCES = {
    1: [
        "A peripheral part of the service fell short; no harm to the patient.",
        "An irritation more than a failing of care; no effect on treatment.",
    ],
    2: [
        "Care fell short, without lasting harm, and it can be put right locally.",
        "Below the standard we expect, but no lasting effect on the patient.",
    ],
    3: [
        "Care may have set back the patient's recovery, and more than one thing went wrong.",
        "A real effect on the patient's treatment; likely to go to the Ombudsman if not answered well.",
    ],
    4: [
        "Possible serious harm, and national standards may not have been met; needs senior clinical review.",
        "The delay may have changed the patient's outcome; the medical director's office to be told.",
    ],
    5: ["A death or permanent harm that may have been avoidable; likely inquest or external investigation."],
}
GRADING_LIKELIHOODS = {
    1: "A one-off: nothing like it on this service in the last year.",
    2: "An isolated failing, though it could happen again.",
    3: "We have had similar complaints about this service in recent months.",
    4: "A recurring theme for this service: several this month.",
    5: "Happening every day on this service.",
}
# The hand-written stories' gradings and regradings.
MATERNITY_GRADING_REASON = (
    "Delayed escalation in labour; the baby needed cooling on the neonatal unit and the case has been referred to "
    "MNSI. Local press and the MP are involved."
)
CRITICAL_CARE_GRADING_REASON = "About how the family were kept informed; his treatment itself is not questioned."
CRITICAL_CARE_REGRADING_REASON = (
    "The records review shows his pain was not controlled for six hours overnight: the division must look at his "
    "care as well as how the family were spoken to."
)
CRITICAL_CARE_PAIN = "Pain not controlled for six hours on his second night"
CANCER_REFERRAL_GRADING_REASON = (
    "A delay to a first appointment; whether it caused harm is not known until his tests are back."
)
CANCER_REFERRAL_REGRADING_REASON = (
    "His tests found a cancer that may have grown during the delay; a patient safety incident investigation "
    "has been declared."
)
REOPENED_COMPLAINT_HANDLING = "Our response did not explain why the scan result was not acted on"
PATIENT_DETAILS_AWAITED = (
    "The letter gives his mother's name and address only. Her date of birth and NHS number to be added from the "
    "hospital record once her consent is back."
)

# KO41a professions.
MEDICAL = "medical"
NURSING = "nursing-midwifery-health-visiting"
THERAPISTS = "scientific-therapeutic-technical"
AMBULANCE_STAFF = "ambulance-staff"
ADMINISTRATIVE = "administrative-staff"
SUPPORT_STAFF = "support-staff"

# The KO41a service area and clinical treatment sub-category each demo service's cases usually have.
SERVICE_AREAS = {
    "ED": "accident-and-emergency", "AMU": "acute-inpatient", "CARD": "acute-inpatient", "RESP": "acute-inpatient",
    "WARD7": "acute-inpatient", "ELDER": "older-people", "STROKE": "acute-inpatient", "GASTRO": "acute-outpatient",
    "DIAB": "acute-outpatient", "ONC": "acute-outpatient", "GENSURG": "acute-inpatient", "ORTHO": "acute-inpatient",
    "FRACTURE": "acute-outpatient", "UROL": "acute-outpatient", "ENT": "acute-outpatient",
    "OPHTH": "acute-outpatient", "DAYSURG": "acute-inpatient", "WARD12": "acute-inpatient", "ICU": "acute-inpatient",
    "MAT": "maternity", "LABOUR": "maternity", "NNU": "acute-inpatient", "PUFFIN": "acute-inpatient",
    "PAEDOP": "acute-outpatient", "GYNAE": "acute-outpatient", "RAD": "acute-outpatient", "PATH": "acute-outpatient",
    "PHARM": "acute-inpatient", "OPD": "acute-outpatient", "THERAPY": "acute-outpatient", "TRANSPORT": "ambulance",
    "FACILITIES": "other",
}  # fmt: skip
CLINICAL_GROUPS = {
    "ED": "accident-and-emergency", "AMU": "medical-group", "CARD": "medical-group", "RESP": "medical-group",
    "WARD7": "medical-group", "ELDER": "medical-group", "STROKE": "medical-group", "GASTRO": "medical-group",
    "DIAB": "medical-group", "ONC": "medical-group", "GENSURG": "surgical-group", "ORTHO": "surgical-group",
    "FRACTURE": "surgical-group", "UROL": "surgical-group", "ENT": "surgical-group", "OPHTH": "surgical-group",
    "DAYSURG": "surgical-group", "WARD12": "surgical-group", "ICU": "anaesthetics",
    "MAT": "obstetrics-and-gynaecology", "LABOUR": "obstetrics-and-gynaecology", "NNU": "paediatric-group",
    "PUFFIN": "paediatric-group", "PAEDOP": "paediatric-group", "GYNAE": "obstetrics-and-gynaecology",
    "RAD": "radiology-group", "PATH": "pathology", "PHARM": "other", "OPD": "other", "THERAPY": "other",
    "TRANSPORT": "other", "FACILITIES": "other",
}  # fmt: skip

# The trust's own subjects, each under a national KO41a subject (coding.LocalSubject).
CAR_PARKING = "Car parking"
PATIENTS_PROPERTY = "Patients' property"
DISCHARGE_PLANNING = "Discharge planning"
LOCAL_SUBJECTS = [
    (CAR_PARKING, "facilities-services"),
    (PATIENTS_PROPERTY, "patient-care"),
    (DISCHARGE_PLANNING, "admissions-discharges-transfers"),
]


@dataclass(frozen=True)
class Aspect:
    """One thing a case is about, as the team codes it: a KO41a subject, and the rest where it has them.

    An empty service area or clinical sub-category is the service's usual one (SERVICE_AREAS, CLINICAL_GROUPS).
    """

    subject: str
    description: str = ""
    professions: tuple[str, ...] = ()
    service_area: str = ""
    clinical_subcategory: str = ""
    local_subject: str = ""
    # HCAT (Gillespie and Reader 2016): the problem category, its severity (1 to 3) and the harm reported (0 to 5).
    hcat: tuple[str, int, int] | None = None
    # For an aspect that is another organisation's to answer: why the trust did not investigate it.
    not_investigated_reason: str = ""


@dataclass(frozen=True)
class Coding:
    """How a case with this summary is coded: its first aspect always, the others when the case raises them."""

    aspects: tuple[Aspect, ...]
    # How bad the outcome was or could have been (NPSA consequence, 1 to 5): where a complaint's grading starts.
    consequence: int = 0


def _about(subject: str, **codes) -> Coding:
    """A PALS concern or compliment: one aspect, coded by subject and service area."""
    return Coding((Aspect(subject, **codes),))


# What each summary is about, coded. Keyed by the summary's words; every summary the demo uses has an entry.
CODING: dict[str, Coding] = {
    # PALS concerns
    "Waited nine hours in A&E with no update on when he would be seen": _about("waiting-times"),
    "Elderly mother left on a trolley in the corridor overnight": _about("privacy-dignity-wellbeing"),
    "Not offered food or water during a long wait in A&E": _about("patient-care"),
    "Discharged late at night with no transport home": _about(
        "admissions-discharges-transfers", local_subject=DISCHARGE_PLANNING
    ),
    "Family not told that dad had been moved to another ward": _about("communications"),
    "Cardiology follow-up appointment cancelled three times": _about("appointments", service_area="acute-outpatient"),
    "Waiting over two months for echocardiogram results": _about("waiting-times", service_area="acute-outpatient"),
    "Home oxygen not arranged before discharge": _about(
        "admissions-discharges-transfers", local_subject=DISCHARGE_PLANNING
    ),
    "Call bell not answered on Ward 7; mother left wet for hours": _about("patient-care"),
    "Visiting times on Ward 7 changed without notice": _about("communications"),
    "Hearing aids lost during admission": _about("patient-care", local_subject=PATIENTS_PROPERTY),
    "Dentures went missing after a move between wards": _about("patient-care", local_subject=PATIENTS_PROPERTY),
    "Family unable to get an update from the stroke team": _about("communications"),
    "Endoscopy letter arrived after the appointment date": _about("appointments"),
    "Insulin not given on time while an inpatient": _about("clinical-treatment", service_area="acute-inpatient"),
    "Chemotherapy delayed because blood results were not ready": _about("waiting-times"),
    "Operation cancelled on the day after fasting since midnight": _about("appointments"),
    "Hip replacement postponed twice with no new date": _about("appointments"),
    "Cast too tight and no one would look at it in fracture clinic": _about("clinical-treatment"),
    "Catheter supplies not arranged on discharge": _about(
        "admissions-discharges-transfers", local_subject=DISCHARGE_PLANNING
    ),
    "Waiting over a year for sinus surgery with no date": _about("waiting-times"),
    "Eye clinic running two hours late with no explanation": _about("waiting-times"),
    "Cataract surgery date keeps moving": _about("appointments"),
    "Kept in recovery until 10pm without food after day surgery": _about("patient-care"),
    "Pain relief not given promptly after surgery on Ward 12": _about("clinical-treatment"),
    "Family not kept informed while their son was in critical care": _about("communications"),
    "Partner asked to leave the postnatal ward at 8pm": _about("trust-administration"),
    "Felt rushed and not listened to at antenatal appointment": _about("values-and-behaviours"),
    "No breastfeeding support available at the weekend": _about("patient-care"),
    "Parents unable to stay overnight with their baby on the neonatal unit": _about("facilities-services"),
    "Child waited four hours for pain relief on Puffin Ward": _about("clinical-treatment"),
    "Autism assessment cancelled at short notice": _about("appointments"),
    "Early pregnancy unit would not see her without a GP referral": _about("access-to-treatment-or-drugs"),
    "MRI results not with the consultant at clinic": _about("communications"),
    "Called for a scan that had already been done": _about("appointments"),
    "Blood test queue out of the door at Kingsmead; no appointments": _about("waiting-times"),
    "Waited three hours for discharge medication": _about("waiting-times"),
    "Appointment letters sent to an old address": _about("trust-administration"),
    "Cannot get through to the appointments line": _about("communications"),
    "Physiotherapy after knee surgery not started for six weeks": _about("waiting-times"),
    "Patient transport collected her four hours late from clinic": _about("transport"),
    "Patient transport did not arrive for an outpatient appointment": _about("transport"),
    "Parking fine issued while in A&E with a sick child": _about("facilities-services", local_subject=CAR_PARKING),
    "Blue badge bays at Riverside always full": _about("facilities-services", local_subject=CAR_PARKING),
    "Ward too cold at night and no extra blankets": _about("facilities-services"),
    # The stories' PALS concerns
    "Family unable to get an update on their father at St Aidan's": _about(
        "communications", service_area="community-hospital"
    ),
    "Member of staff's own outpatient appointment discussed in front of colleagues": _about(
        "privacy-dignity-wellbeing"
    ),
    "Wife worried her husband is not eating and seems more confused": _about("patient-care"),
    "Bruising noticed on mother's arms after her stay at St Aidan's": _about(
        "patient-care", service_area="community-hospital"
    ),
    # Compliments
    "Thank you to the staff on Ward 7 for caring for our mum": _about("patient-care"),
    "Thank you to the A&E team for their kindness on a busy night": _about("values-and-behaviours"),
    "Midwives made the birth of our daughter a wonderful experience": _about("patient-care"),
    "Praise for the cardiology nurses and their clear explanations": _about("communications"),
    "The stroke team gave dad his independence back": _about("clinical-treatment"),
    "Thank you to the nurses, porters and domestic staff on Ward 12": _about("values-and-behaviours"),
    "Outstanding care from the neonatal unit over eight weeks": _about("patient-care"),
    "Puffin Ward made our son's stay much less frightening": _about("values-and-behaviours"),
    "Fracture clinic saw me quickly and explained everything": _about("communications"),
    "Thank you to the radiographer who calmed my claustrophobia": _about("values-and-behaviours"),
    "Pharmacy team went out of their way to get medicines ready": _about("values-and-behaviours"),
    "Physiotherapist's encouragement after my knee replacement": _about("values-and-behaviours"),
    "Day surgery ran like clockwork from start to finish": _about("patient-care"),
    "Kind and patient phlebotomist at Kingsmead": _about("values-and-behaviours"),
    "Palliative care nurses supported our whole family": _about("end-of-life-care", service_area="end-of-life"),
    "Eye clinic staff were friendly and efficient": _about("values-and-behaviours"),
    "Thank you to critical care for saving my husband's life": _about("clinical-treatment"),
    "Surgeon took time to explain the operation to my mother": _about("communications"),
    # Complaints
    "Fractured wrist missed in A&E and diagnosed ten days later": Coding(
        (
            Aspect("clinical-treatment", "Fracture visible on the first X-ray was missed", (MEDICAL,),
                   hcat=("quality", 2, 2)),
            Aspect("communications", "Told it was a sprain, with no advice to come back if the pain went on",
                   (MEDICAL, NURSING), hcat=("communication", 1, 1)),
        ),
        consequence=3,
    ),
    "Mother's sepsis not recognised during a twelve-hour wait": Coding(
        (
            Aspect("clinical-treatment", "Signs of sepsis not recognised; observations not repeated for five hours",
                   (NURSING, MEDICAL), hcat=("safety", 3, 4)),
            Aspect("waiting-times", "Twelve hours in the emergency department", (MEDICAL,),
                   hcat=("institutional-processes", 2, 2)),
        ),
        consequence=4,
    ),
    "Father discharged at 2am without the family being told, and fell at home": Coding(
        (
            Aspect("admissions-discharges-transfers", "Discharged at 2am without checking he could manage at home",
                   (NURSING, MEDICAL), local_subject=DISCHARGE_PLANNING, hcat=("safety", 3, 3)),
            Aspect("communications", "Family not told he was being sent home", (NURSING,),
                   hcat=("communication", 2, 0)),
        ),
        consequence=3,
    ),
    "Delay in diagnosing heart failure despite three attendances": Coding(
        (
            Aspect("clinical-treatment", "Heart failure not diagnosed at three attendances", (MEDICAL,),
                   hcat=("quality", 3, 3)),
            Aspect("values-and-behaviours", "Symptoms put down to anxiety", (MEDICAL,), hcat=("listening", 2, 0)),
        ),
        consequence=3,
    ),
    "Mother developed a grade 3 pressure ulcer on Ward 7": Coding(
        (
            Aspect("patient-care", "Grade 3 pressure ulcer developed on the ward", (NURSING,),
                   hcat=("safety", 3, 3)),
            Aspect("communications", "Family not told about the pressure damage", (NURSING,),
                   hcat=("communication", 1, 0)),
        ),
        consequence=3,
    ),
    "Poor end-of-life care and the family not told how ill dad was": Coding(
        (
            Aspect("end-of-life-care", "Care in his last days", (NURSING, MEDICAL), service_area="end-of-life",
                   hcat=("quality", 2, 3)),
            Aspect("communications", "Family told he was improving two days before he died", (MEDICAL,),
                   hcat=("communication", 3, 3)),
            Aspect("other", "The out-of-hours GP visit on his last night", (MEDICAL,),
                   service_area="community-health-services",
                   not_investigated_reason="About the GP out-of-hours service: passed to them to answer, with the "
                   "family's agreement."),
        ),
        consequence=3,
    ),
    "Too little therapy on the stroke unit slowed recovery": Coding(
        (
            Aspect("clinical-treatment", "Physiotherapy cancelled most days", (THERAPISTS,), hcat=("quality", 2, 2)),
            Aspect("staff-numbers", "Therapy cancelled because of staffing", (THERAPISTS,),
                   hcat=("institutional-processes", 2, 0)),
        ),
        consequence=2,
    ),
    "Night nurse was rude and dismissive": Coding(
        (
            Aspect("values-and-behaviours", "Told to 'just go in the pad'", (NURSING,),
                   hcat=("respect-and-patient-rights", 3, 1)),
            Aspect("privacy-dignity-wellbeing", "Not helped to the toilet at night", (NURSING,),
                   hcat=("respect-and-patient-rights", 2, 1)),
        ),
        consequence=2,
    ),
    "Complication after bowel surgery not explained and follow-up lost": Coding(
        (
            Aspect("clinical-treatment", "Leak after bowel surgery", (MEDICAL,), hcat=("safety", 2, 3)),
            Aspect("communications", "Nobody explained what had happened", (MEDICAL,),
                   hcat=("communication", 2, 0)),
            Aspect("appointments", "Follow-up appointment never booked", (ADMINISTRATIVE,),
                   service_area="acute-outpatient", hcat=("institutional-processes", 2, 0)),
        ),
        consequence=3,
    ),
    "Hip operation cancelled twice with no explanation": Coding(
        (
            Aspect("appointments", "Operation cancelled on the day, twice, after fasting", (MEDICAL,),
                   hcat=("institutional-processes", 2, 2)),
            Aspect("communications", "No reason given for either cancellation", (ADMINISTRATIVE,),
                   hcat=("communication", 1, 0)),
        ),
        consequence=2,
    ),
    "Infection after knee replacement not treated promptly": Coding(
        (
            Aspect("clinical-treatment", "Wound infection not swabbed or treated for a week", (MEDICAL, NURSING),
                   hcat=("safety", 3, 3)),
        ),
        consequence=3,
    ),
    "Urgent cancer referral not made within two weeks": Coding(
        (
            Aspect("appointments", "First appointment seven weeks after an urgent referral", (ADMINISTRATIVE,),
                   hcat=("institutional-processes", 3, 3)),
            Aspect("trust-administration", "Urgent referral booked as routine", (ADMINISTRATIVE,),
                   hcat=("institutional-processes", 2, 0)),
            Aspect("other", "The wording of the GP's referral letter", (MEDICAL,),
                   service_area="community-health-services",
                   not_investigated_reason="About the GP practice's referral: passed to the practice to answer, "
                   "with his consent."),
        ),
        consequence=4,
    ),
    "Sight loss after a missed glaucoma follow-up": Coding(
        (
            Aspect("appointments", "Six-month glaucoma review never booked", (ADMINISTRATIVE,),
                   hcat=("institutional-processes", 3, 4)),
            Aspect("clinical-treatment", "Sight damaged by raised pressure before she was seen", (MEDICAL,),
                   hcat=("safety", 3, 4)),
        ),
        consequence=4,
    ),
    "Left in soiled bedding; dignity not respected on Ward 12": Coding(
        (
            Aspect("privacy-dignity-wellbeing", "Left in soiled bedding", (NURSING,),
                   hcat=("respect-and-patient-rights", 3, 1)),
            Aspect("patient-care", "Personal care not given", (NURSING, SUPPORT_STAFF), hcat=("quality", 2, 1)),
        ),
        consequence=2,
    ),
    "Procedure not explained before consent was signed": Coding(
        (
            Aspect("consent", "Risks not explained before signing the consent form", (MEDICAL,),
                   hcat=("respect-and-patient-rights", 2, 1)),
        ),
        consequence=2,
    ),
    "Communication with the family in critical care was poor": Coding(
        (
            Aspect("communications", "Different doctors gave different answers", (MEDICAL,),
                   hcat=("communication", 2, 0)),
            Aspect("communications", "Nobody led the conversations with the family", (MEDICAL, NURSING),
                   hcat=("listening", 1, 0)),
        ),
        consequence=2,
    ),
    "Concerns about care in labour and a delayed emergency caesarean": Coding(
        (
            Aspect("clinical-treatment", "Emergency caesarean delayed after the baby's heart rate dropped",
                   (MEDICAL, NURSING), hcat=("safety", 3, 4)),
            Aspect("values-and-behaviours", "Asked repeatedly for a doctor and was not listened to", (NURSING,),
                   hcat=("listening", 3, 0)),
        ),
        consequence=4,
    ),
    "Not listened to about reduced baby movements": Coding(
        (
            Aspect("clinical-treatment", "Reduced movements not assessed", (NURSING,), hcat=("quality", 2, 2)),
            Aspect("communications", "Told on the phone to wait and see", (NURSING,), hcat=("listening", 2, 0)),
        ),
        consequence=3,
    ),
    "Pain relief in labour refused and not explained": Coding(
        (
            Aspect("clinical-treatment", "Epidural refused", (MEDICAL, NURSING), hcat=("quality", 2, 1)),
            Aspect("communications", "The reasons were not explained", (NURSING,), hcat=("communication", 2, 0)),
        ),
        consequence=2,
    ),
    "Baby's feeding plan not followed; weight loss not acted on": Coding(
        (
            Aspect("clinical-treatment", "Weight loss not acted on", (NURSING, MEDICAL), hcat=("safety", 2, 2)),
            Aspect("patient-care", "Feeding plan not followed", (NURSING,), hcat=("quality", 2, 1)),
        ),
        consequence=3,
    ),
    "Child's appendicitis missed on the first attendance": Coding(
        (
            Aspect("clinical-treatment", "Appendicitis missed; sent home with constipation", (MEDICAL,),
                   hcat=("quality", 3, 3)),
            Aspect("other", "Advice from NHS 111 before the first attendance", (AMBULANCE_STAFF,),
                   service_area="ambulance",
                   not_investigated_reason="About NHS 111's advice: passed to the ambulance trust to answer, with "
                   "the family's consent."),
        ),
        consequence=3,
    ),
    "Miscarriage managed without privacy or compassion": Coding(
        (
            Aspect("privacy-dignity-wellbeing", "Told on a corridor, then put in a bay with new mothers",
                   (NURSING, MEDICAL), hcat=("respect-and-patient-rights", 3, 2)),
            Aspect("values-and-behaviours", "Staff lacked compassion", (NURSING,),
                   hcat=("respect-and-patient-rights", 2, 0)),
        ),
        consequence=2,
    ),
    "Scan report showing a mass not acted on for four months": Coding(
        (
            Aspect("clinical-treatment", "Report of a mass not followed up for four months", (MEDICAL,),
                   hcat=("safety", 3, 4)),
            Aspect("trust-administration", "Report sent to a clinic she was no longer under", (ADMINISTRATIVE,),
                   hcat=("institutional-processes", 2, 0)),
        ),
        consequence=4,
    ),
    "Blood sample lost twice, delaying chemotherapy": Coding(
        (
            Aspect("clinical-treatment", "Sample lost twice in the laboratory", (THERAPISTS,),
                   hcat=("institutional-processes", 2, 2)),
        ),
        consequence=2,
    ),
    "Wrong dose of warfarin on the discharge prescription": Coding(
        (
            Aspect("prescribing-errors", "5mg written instead of 0.5mg on the discharge prescription",
                   (MEDICAL, THERAPISTS), hcat=("safety", 3, 2)),
        ),
        consequence=3,
    ),
    "Oncology appointments cancelled again and again": Coding(
        (
            Aspect("appointments", "Appointments cancelled again and again", (ADMINISTRATIVE,),
                   hcat=("institutional-processes", 2, 1)),
        ),
        consequence=2,
    ),
    "Discharged from physiotherapy without being assessed": Coding(
        (
            Aspect("clinical-treatment", "Discharged without an assessment", (THERAPISTS,), hcat=("quality", 1, 1)),
        ),
        consequence=1,
    ),
    "Wheelchair user left stranded at Riverside by patient transport": Coding(
        (
            Aspect("transport", "Transport cancelled without telling anyone; waited until 9pm", (AMBULANCE_STAFF,),
                   hcat=("institutional-processes", 2, 1)),
            Aspect("patient-care", "Left in the discharge lounge without a drink or a meal", (NURSING,),
                   service_area="acute-inpatient", hcat=("quality", 1, 1)),
        ),
        consequence=2,
    ),
    # The stories' complaints
    "Member of staff unhappy with the care and privacy during her own admission": Coding(
        (
            Aspect("privacy-dignity-wellbeing", "Colleagues looked at her record with no need to",
                   (NURSING, ADMINISTRATIVE), hcat=("respect-and-patient-rights", 3, 0)),
            Aspect("values-and-behaviours", "Her care discussed on the ward", (NURSING,),
                   hcat=("respect-and-patient-rights", 2, 0)),
        ),
        consequence=2,
    ),
    "Receptionist at the outpatients desk was rude about a missed appointment": Coding(
        (Aspect("values-and-behaviours", "Spoken to rudely at the desk", (ADMINISTRATIVE,)),),
        consequence=1,
    ),
    # MP letters
    "Constituent's long wait for hip surgery": Coding(
        (
            Aspect("waiting-times", "Sixty weeks on the waiting list", (MEDICAL,),
                   hcat=("institutional-processes", 2, 2)),
            Aspect("appointments", "Two cancellations", (ADMINISTRATIVE,), hcat=("institutional-processes", 2, 1)),
        ),
        consequence=2,
    ),
    "Constituent's concerns about A&E waiting times": Coding(
        (
            Aspect("waiting-times", "Fourteen hours in the emergency department after a fall", (MEDICAL,),
                   hcat=("institutional-processes", 2, 1)),
        ),
        consequence=2,
    ),
    "Constituent's discharge from Ward 7 without a care package": Coding(
        (
            Aspect("integrated-care", "Sent home before the care package was in place", (NURSING,),
                   hcat=("safety", 2, 2)),
            Aspect("communications", "The family not told about the discharge", (NURSING,),
                   hcat=("communication", 1, 0)),
        ),
        consequence=3,
    ),
    "Constituent's cancelled urology cancer appointment": Coding(
        (
            Aspect("appointments", "Cancer appointment cancelled", (ADMINISTRATIVE,),
                   hcat=("institutional-processes", 2, 2)),
        ),
        consequence=3,
    ),
    "Constituent's concerns about her maternity care": Coding(
        (
            Aspect("values-and-behaviours", "Not listened to in labour", (NURSING,), hcat=("listening", 2, 1)),
        ),
        consequence=2,
    ),
    "Constituent's child's wait for an autism assessment": Coding(
        (Aspect("waiting-times", "Waiting for an autism assessment", (MEDICAL,)),),
        consequence=1,
    ),
    "Constituent charged for parking while visiting a dying relative": Coding(
        (
            Aspect("facilities-services", "Charged for parking while visiting a dying relative", (ADMINISTRATIVE,),
                   local_subject=CAR_PARKING),
        ),
        consequence=1,
    ),
}  # fmt: skip
