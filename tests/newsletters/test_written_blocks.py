"""A section the team must write is refused when it holds only empty paragraphs (what
Draftail leaves in a field nobody wrote in), so it is never published empty."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.rich_text import RichText

from newsletters.models import IssueBlocks


@pytest.mark.parametrize("source", ["", '<p data-block-key="a1"></p>', "<p> </p><p><br/></p>"])
def test_local_initiatives_without_words_are_refused(source):
    block = IssueBlocks().child_blocks["local_initiatives"]
    with pytest.raises(ValidationError):
        block.clean(RichText(source))


def test_local_initiatives_with_words_are_kept():
    block = IssueBlocks().child_blocks["local_initiatives"]
    assert "Permanence" in block.clean(RichText("<p>Permanence le mardi</p>")).source
