"""The seeded NPSA matrix (a data migration makes it current) and a scheme of named levels for tests that need one."""

from palsdesk.grading.models import Grade, GradingScheme, SchemeKind, SignOffLevel


def matrix_scheme() -> GradingScheme:
    """The seeded NPSA matrix, current unless a test made another scheme current."""
    return GradingScheme.objects.get(kind=SchemeKind.MATRIX)


def grade(code: str, *, scheme: GradingScheme | None = None) -> Grade:
    return Grade.objects.get(scheme=scheme or matrix_scheme(), code=code)


def levels_scheme(*, current: bool = True) -> GradingScheme:
    """Three named levels with Cornwall's targets (30, 40 and 60 working days, domain.md §5.2)."""
    if current:
        GradingScheme.objects.filter(is_current=True).update(is_current=False)
    scheme = GradingScheme.objects.create(name="Levels 1 to 3", kind=SchemeKind.LEVELS, is_current=current)
    for order, (working_days, sign_off) in enumerate(
        [(30, SignOffLevel.COORDINATOR), (40, SignOffLevel.DIRECTOR), (60, SignOffLevel.EXECUTIVE)], start=1
    ):
        Grade.objects.create(
            scheme=scheme,
            code=f"level-{order}",
            name=f"Level {order}",
            order=order,
            response_working_days=working_days,
            sign_off_level=sign_off,
        )
    return scheme
