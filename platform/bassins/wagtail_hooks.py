from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .models import TeamMember
from .viewsets import ReferenceDataGroup, TeamMemberViewSet, team_member_permission_policy

register_permission_policy(TeamMember, team_member_permission_policy, exact_class=True)
register_snippet(TeamMemberViewSet)


@hooks.register("register_admin_viewset")
def register_reference_data():
    return ReferenceDataGroup()
