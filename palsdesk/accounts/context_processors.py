"""The navigation links a signed-in user may follow, for the page header."""

from django.urls import reverse

from palsdesk.accounts.permissions import Permission, can


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    links = [("My work", reverse("cases:my_work"))]
    if can(user, Permission.LOG_PALS_CASE) or can(user, Permission.LOG_COMPLAINT):
        links.append(("Log a case", reverse("cases:log")))
    links.append(("Cases", reverse("cases:list")))
    # The same rule as the reports themselves (reporting.access.may_see_reports): not for volunteers.
    if can(user, Permission.SEE_TRUST_CASES) or can(user, Permission.SEE_DIVISION_CASES):
        links.append(("Reports", reverse("reporting:index")))
        # The same rule as the page (coding.views.may_see_data_quality).
        links.append(("Data quality", reverse("coding:data_quality")))
    # The same rule as the page (meetings.views.diary).
    if can(user, Permission.ARRANGE_MEETINGS):
        links.append(("Meetings", reverse("meetings:diary")))
    # The same rule as the page (learning.selectors.may_see_action_plans).
    if can(user, Permission.SEE_TRUST_ACTION_PLANS) or can(user, Permission.SEE_DIVISION_ACTION_PLANS):
        links.append(("Action plans", reverse("learning:plans")))
    # The same rule as the page (escalations.views.may_see_the_list).
    if can(user, Permission.HANDLE_OMBUDSMAN_AND_CQC):
        links.append(("Ombudsman and CQC", reverse("escalations:list")))
    if can(user, Permission.ADMINISTER):
        links.append(("Calendar", reverse("deadlines:calendar")))
        links.append(("Admin", reverse("admin:index")))
    elif can(user, Permission.VIEW_AUDIT_TRAIL):
        links.append(("Audit trail", reverse("admin:audit_auditevent_changelist")))
    # The current section is the link with the longest path that starts this page's path.
    matching = [url for _, url in links if request.path == url or (url != "/" and request.path.startswith(url))]
    current = max(matching, key=len, default=None)
    return {"navigation": [{"label": label, "url": url, "is_current": url == current} for label, url in links]}
