"""The starter library of standard paragraphs: an apology, the Ombudsman, advocacy, and asking for a meeting.

Administrators reword them for their trust on the "Standard paragraphs" page; a fresh database starts here.
"""

from django.db import migrations

PARAGRAPHS = [
    (
        "Apology",
        "apology",
        10,
        "<p>I am sorry for the distress this has caused you, and I apologise that your experience of our "
        "services fell short of what you should be able to expect.</p>",
    ),
    (
        "Your right to go to the Ombudsman",
        "ombudsman",
        20,
        "<p>If you are not satisfied with this response, please contact us and we will do our best to resolve your "
        "concerns. If you remain unhappy, you have the right to ask the Parliamentary and Health Service Ombudsman "
        "to look at your complaint. The Ombudsman makes final decisions on complaints that have not been resolved "
        "by the NHS in England, and their service is free. You can call them on 0345 015 4033, use their website, "
        "www.ombudsman.org.uk, or write to the Parliamentary and Health Service Ombudsman, Citygate, Mosley Street, "
        "Manchester M2 3HQ. The Ombudsman usually expects a complaint to be brought to them within 12 months of "
        "when you became aware of the problem.</p>",
    ),
    (
        "Advocacy service",
        "advocacy",
        30,
        "<p>If you would like help with your complaint, a free and independent NHS complaints advocacy service can "
        "support you. Your local council can tell you who provides it where you live, or our team can give you "
        "their details.</p>",
    ),
    (
        "Asking for a meeting",
        "meeting",
        40,
        "<p>If it would help to meet us to talk this response through, please contact our Patient Advice and "
        "Complaints Team and we will arrange a meeting with the staff involved at a time that suits you. You are "
        "welcome to bring someone with you.</p>",
    ),
]


def seed(apps, schema_editor):
    StandardParagraph = apps.get_model("responses", "StandardParagraph")
    for title, purpose, order, html in PARAGRAPHS:
        StandardParagraph.objects.get_or_create(
            title=title, defaults={"purpose": purpose, "order": order, "html": html}
        )


class Migration(migrations.Migration):
    dependencies = [("responses", "0001_final_responses")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
