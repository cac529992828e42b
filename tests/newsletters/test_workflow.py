"""CPPS edit → coordination approves → published → sent (now or at ``send_at``)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from newsletters import tasks
from newsletters.models import Mailing
from newsletters.reference import COORDINATION_GROUP, WORKFLOW_NAME

from .conftest import drafted_issue, make_subscribers, publish


@pytest.mark.django_db
def test_cpps_submits_coordination_approves_publication_sends_once(
    reference_data, django_capture_on_commit_callbacks
):
    User = get_user_model()
    cpps = User.objects.create_user("cpps", "cpps@example.org", "pw")
    cpps.groups.add(Group.objects.get(name="Équipe bassin Nord"))
    coordinator = User.objects.create_user("coord", "coord@example.org", "pw")
    coordinator.groups.add(Group.objects.get(name=COORDINATION_GROUP))
    make_subscribers(3)

    issue = drafted_issue("nord", "fr")
    workflow = issue.get_workflow()
    assert workflow.name == WORKFLOW_NAME
    issue.intro = "Octobre rose à Jette : trois ateliers."
    revision = issue.save_revision(user=cpps)
    workflow.start(issue, cpps)
    issue.refresh_from_db()
    assert not issue.live
    task_state = issue.current_workflow_task_state
    assert task_state.task.specific.user_can_access_editor(issue, coordinator)
    assert not task_state.task.specific.get_actions(issue, cpps)  # CPPS cannot approve

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        task_state.approve(user=coordinator)
    issue.refresh_from_db()
    assert issue.live and issue.live_revision_id >= revision.pk
    newsletters = [m for m in mail.outbox if m.to[0].startswith("pro")]
    assert len(newsletters) == 3
    assert "Octobre rose à Jette" in newsletters[0].body
    assert Mailing.objects.get(issue=issue).status == "done"


@pytest.mark.django_db
def test_publishing_with_send_at_waits_for_the_beat(
    reference_data, django_capture_on_commit_callbacks
):
    make_subscribers(2)
    issue = drafted_issue("nord", "fr")
    issue.send_at = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    assert mail.outbox == []
    assert tasks.send_due_issues() == 0
    type(issue).objects.filter(pk=issue.pk).update(
        send_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert tasks.send_due_issues() == 1
    assert len(mail.outbox) == 2
    assert tasks.send_due_issues() == 0  # started once, never again
