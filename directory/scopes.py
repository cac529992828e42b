"""Who edits what in the directory (docs/directory.md, "Who edits what"), written once.

An entry whose area of action is the whole Region, or that names no bassin, is
regional: the regional team edits it. Any other entry is edited by the teams of the
bassins of its area of action (``Service.area_bassins``); an organisation by the teams
of its services' areas, a location and a change request by their organisation's.
The Wagtail views, the change review, the to-do list and the spreadsheet import all
ask these scopes.
"""

from bassins.rights import BassinScope

SERVICE_SCOPE = BassinScope(("area_bassins",), regional_flag="area_whole_region")
ORGANISATION_SCOPE = BassinScope(
    ("services__area_bassins",), regional_flag="services__area_whole_region"
)
LOCATION_SCOPE = BassinScope(
    ("organisation__services__area_bassins",),
    regional_flag="organisation__services__area_whole_region",
)
CHANGE_REQUEST_SCOPE = LOCATION_SCOPE
# A listing request: the teams of the bassins it names; "whole Region" or none: regional.
LISTING_SCOPE = BassinScope(("bassins",), regional_flag="area_whole_region")
