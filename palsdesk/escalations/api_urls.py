"""API addresses of escalations, under /api/v1/."""

from rest_framework.routers import SimpleRouter

from palsdesk.escalations import api

# SimpleRouter: the API's root view belongs to palsdesk.api.urls, not to each app.
router = SimpleRouter(trailing_slash=True)
router.register("ombudsman-cases", api.OmbudsmanCaseViewSet, basename="ombudsman-case")
router.register("cqc-enquiries", api.CqcEnquiryViewSet, basename="cqc-enquiry")
router.register("joint-complaints", api.JointComplaintViewSet, basename="joint-complaint")
router.register("contributions", api.ContributionViewSet, basename="contribution")

urlpatterns = router.urls
