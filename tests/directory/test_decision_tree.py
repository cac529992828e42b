""" "Quelle ligne appeler ?": the tree walks to the right line for each seed line, FR and NL."""

import html
import re
from collections import Counter

import pytest

from directory.models import DecisionAnswer

pytestmark = pytest.mark.django_db


def walk(client, language, answer_slugs):
    # Dutch URLs in Dutch
    url = {"fr": "/fr/repertoire/quelle-ligne/", "nl": "/nl/sociale-kaart/welke-lijn/"}[language]
    response = client.get(url)
    for slug in answer_slugs:
        assert response.status_code == 200
        page = response.content.decode()
        match = re.search(r'href="\?([^"]*)" data-answer="' + re.escape(slug) + '"', page)
        assert match, f"no answer {slug!r} on {url}"
        response = client.get(url + "?" + html.unescape(match.group(1)))
    assert response.status_code == 200
    return response


def recommended_titles(response):
    page = response.content.decode()
    block = page.split('data-testid="recommended"', 1)[1]
    return re.findall(r'class="card-title"><a[^>]*>([^<]*)', block)


WALKS = [
    (["dettes", "oui"], "Hotline Médiation de dettes", "Hotline schuldbemiddeling"),
    (
        ["handicap"],
        "BrAP — permanence téléphonique handicap",
        "BrAP — telefonische permanentie handicap",
    ),
    (
        ["sejour"],
        "Medimmigrant — permanence téléphonique",
        "Medimmigrant — telefonische permanentie",
    ),
    (["complexe", "nord"], "Helpdesk Brusano — Bassin Nord", "Helpdesk Brusano — Zorgzone Noord"),
    (
        ["complexe", "sud-est"],
        "Helpdesk Brusano — Bassin Sud-Est",
        "Helpdesk Brusano — Zorgzone Zuidoost",
    ),
    (["complexe", "inconnu"], "Helpdesk Brusano — régional", "Helpdesk Brusano — gewestelijk"),
    (["question-sociale"], "Allo? Aide sociale", "Allo? Aide sociale"),
    (
        ["detention"],
        "CAW Brussel — ligne gratuite pour les personnes détenues",
        "CAW Brussel — gratis lijn voor gedetineerden",
    ),
]


@pytest.mark.parametrize("path, title_fr, title_nl", WALKS)
def test_tree_reaches_the_line_in_both_languages(client, directory_data, path, title_fr, title_nl):
    assert title_fr in recommended_titles(walk(client, "fr", path))
    assert title_nl in recommended_titles(walk(client, "nl", path))


def test_every_bassin_helpdesk_is_reachable(client, directory_data):
    for slug, name in [
        ("nord", "Nord"),
        ("nord-est", "Nord-Est"),
        ("centre-ouest", "Centre-Ouest"),
        ("sud", "Sud"),
        ("sud-est", "Sud-Est"),
    ]:
        assert f"Helpdesk Brusano — Bassin {name}" in recommended_titles(
            walk(client, "fr", ["complexe", slug])
        )


def test_summary_and_back_button(client, directory_data):
    response = walk(client, "fr", ["complexe", "nord"])
    page = response.content.decode()
    summary = re.search(r'<textarea id="tree-summary"[^>]*>([^<]*)</textarea>', page).group(1)
    summary = html.unescape(summary)
    assert (
        "De quoi s'agit-il principalement ? Une situation complexe qui mêle plusieurs problèmes"
        in summary
    )
    assert "Dans quel bassin la personne vit-elle ? Bassin Nord" in summary
    back = re.search(r'href="\?([^"]*)" data-testid="tree-back"', page).group(1)
    previous = client.get("/fr/repertoire/quelle-ligne/?" + html.unescape(back)).content.decode()
    assert "Dans quel bassin la personne vit-elle ?" in previous
    nl = walk(client, "nl", ["dettes", "non"]).content.decode()
    assert "Waarover gaat het vooral?" in html.unescape(nl)
    assert "erkende dienst schuldbemiddeling" in nl


@pytest.mark.parametrize(
    "query",
    ["a=abc", "a=999999", "a=1&a=1&a=1", f"a={2**63}", f"a={2**64}", "a=-1", "a=" + "9" * 40],
)
def test_forged_paths_are_refused(client, directory_data, query):
    response = client.get("/fr/repertoire/quelle-ligne/?" + query)
    assert response.status_code == 400


def test_tree_is_editable_in_wagtail(admin_client, directory_data):
    from directory.models import DecisionQuestion

    question = DecisionQuestion.objects.get(slug="situation")
    response = admin_client.get(f"/admin/snippets/directory/decisionquestion/edit/{question.pk}/")
    assert response.status_code == 200
    assert "Des dettes, un surendettement" in response.content.decode()


def leaf_paths(question=None, path=()):
    """Every path of answers from the root question to a result."""
    answers = (
        DecisionAnswer.objects.filter(question__is_root=True)
        if question is None
        else DecisionAnswer.objects.filter(question=question)
    )
    for answer in answers.order_by("pk"):
        if answer.next_question_id:
            yield from leaf_paths(answer.next_question, (*path, answer))
        else:
            yield (*path, answer)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_result_says_each_sentence_once(client, directory_data, language):
    url = {"fr": "/fr/repertoire/quelle-ligne/", "nl": "/nl/sociale-kaart/welke-lijn/"}[language]
    repeated = []
    for path in leaf_paths():
        page = client.get(url, {"a": [a.pk for a in path]}).content.decode()
        main = page.split("<main", 1)[1].split("</main>", 1)[0]
        # Each recommended line is its own card (its "checked on" date may repeat).
        main = re.sub(r"(?s)<(script|style|textarea|article)[^>]*>.*?</\1>", " ", main)
        text = html.unescape(re.sub(r"<[^>]+>", "\n", main))
        sentences = [s.strip() for s in re.split(r"[\n.!?]", text) if len(s.strip()) > 20]
        repeated += [
            (tuple(a.slug for a in path), s) for s, n in Counter(sentences).items() if n > 1
        ]
    assert repeated == []
