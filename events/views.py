"""Public agenda views (thin: parse, call queries, render)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


agenda = agenda_month = event_detail = event_ics = propose = propose_thanks = _todo
propose_confirm = _todo
