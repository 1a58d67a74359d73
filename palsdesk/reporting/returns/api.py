"""The KO41a return through the API: GET /api/v1/reports/ko41a/?year=2025-26[&quarter=1], for trust-wide roles."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from palsdesk.reporting.returns import export, ko41a, selectors


class Ko41aQuery(serializers.Serializer):
    year = serializers.CharField(required=False, allow_blank=True)
    quarter = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        today = timezone.localdate()
        try:
            year = ko41a.parse_year(attrs.get("year"), today=today)
        except ko41a.BadPeriod as bad:
            raise serializers.ValidationError({bad.field: [bad.message]}) from None
        try:
            quarter = ko41a.parse_quarter(attrs.get("quarter"), year=year, today=today)
        except ko41a.BadPeriod as bad:
            raise serializers.ValidationError({bad.field: [bad.message]}) from None
        return {"year": year, "quarter": quarter}


class Ko41aPeriodSerializer(serializers.Serializer):
    label = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class Ko41aOrganisationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The trust's ODS code.")
    name = serializers.CharField()


class Ko41aSiteSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The key of the site's column in by_site: its code, or 'none'.")
    code = serializers.CharField(help_text="The ODS site code; empty for the complaints with no site recorded.")
    name = serializers.CharField()


class Ko41aBoxSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="'<section>:<code>', e.g. 'subject:communications'.")
    code = serializers.CharField(help_text="The code of the national list, the same across years.")
    label = serializers.CharField()
    total = serializers.IntegerField(help_text="The whole organisation's figure for the period.")
    by_site = serializers.DictField(child=serializers.IntegerField(), help_text="Each site's figure, by site key.")
    by_quarter = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="The organisation's figure for each quarter and for the year ('Q1'..'Q4', 'year'); "
        "for a quarter, that quarter only.",
    )


class Ko41aSectionSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The return's section, 2 to 8.")
    key = serializers.CharField()
    title = serializers.CharField()
    counts = serializers.CharField(help_text="What one count in the section is.")
    list_year = serializers.CharField(allow_null=True, help_text="The year of the national list its boxes come from.")
    boxes = Ko41aBoxSerializer(many=True)


class Ko41aLeftOutSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    total = serializers.IntegerField()


class Ko41aFailureSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=[key for key, _ in ko41a.RULES])
    title = serializers.CharField()
    site = serializers.CharField(
        allow_null=True, help_text="The site key whose figures fail it; null: the organisation."
    )
    message = serializers.CharField()
    cases_box = serializers.CharField(help_text="The check whose cases are behind the failure.")
    cases_count = serializers.IntegerField()
    cases = serializers.ListField(
        child=serializers.CharField(), help_text="The first of those cases you may see, by reference."
    )


class Ko41aGapSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    cases_count = serializers.IntegerField()


class Ko41aChecksSerializer(serializers.Serializer):
    ready = serializers.BooleanField(help_text="True when the return passes every check of the collection.")
    failures = Ko41aFailureSerializer(many=True)
    gaps = Ko41aGapSerializer(many=True)


class Ko41aRuleSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()


class Ko41aReturnSerializer(serializers.Serializer):
    """The whole trust's KO41a return for a financial year or a quarter, its checks, and how it counts."""

    year = serializers.CharField()
    quarter = serializers.IntegerField(allow_null=True)
    period = Ko41aPeriodSerializer()
    organisation = Ko41aOrganisationSerializer()
    sites = Ko41aSiteSerializer(many=True)
    sections = Ko41aSectionSerializer(many=True)
    left_out = Ko41aLeftOutSerializer(many=True, help_text="Complaints made in the period that no box holds, by why.")
    reopened = serializers.IntegerField(help_text="Complaints counted in the period that have been reopened.")
    checks = Ko41aChecksSerializer()
    counting_rules = Ko41aRuleSerializer(many=True)
    worked_out_on = serializers.DateField()


class Ko41aView(APIView):
    @extend_schema(
        operation_id="reports_ko41a",
        parameters=[
            OpenApiParameter(
                "year", str, description="The financial year, '2025-26' (1 April 2025 to 31 March 2026).", required=True
            ),
            OpenApiParameter("quarter", int, enum=[1, 2, 3, 4], description="One quarter; leave out for the year."),
        ],
        responses={
            200: Ko41aReturnSerializer,
            400: OpenApiResponse(description="The year or quarter is not one the return has; a message per field."),
            403: OpenApiResponse(description="Only roles that see the whole trust's cases may see the return."),
        },
    )
    def get(self, request):
        """The KO41a return (written complaints) of the whole trust, with the collection's checks."""
        if not selectors.may_see_ko41a(request.user):
            raise PermissionDenied("Only roles that see the whole trust's cases can see the KO41a return.")
        query = Ko41aQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        the_return = selectors.ko41a_return(**query.validated_data, viewer=request.user)
        return Response(Ko41aReturnSerializer(export.as_data(the_return)).data)
