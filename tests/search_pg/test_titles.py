"""Besides the results: autocomplete by title prefix, "did you mean" from readable words,
locked titles above the reader's plan, related items, and a recording's moments."""

from __future__ import annotations

import io

from kb import policy
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.sessions.recordings import service as recordings
from tests.search_pg.conftest import documents_of, index, only_on_postgres, titles
from tests.sessions.conftest import WEBVTT
from tests.videos import webm_like

pytestmark = only_on_postgres


def scope(role: str):
    return policy.read_scope(user_by_email(f"{role}@demo.test"))


def test_autocomplete_finds_readable_titles_by_their_first_letters(backend, put, reader):
    put("Warehouse transfers", "Moving stock.")
    put("Warehouse transit times", "Transit.", min_plan="elite")
    put("Ware tracking", "Tracking.", status="draft")
    suggested = backend.suggest_titles(scope("xtreme"), "wareh", 8)
    assert [entry.title for entry in suggested] == ["Warehouse transfers"]
    assert suggested[0].url == "/articles/warehouse-transfers"
    assert sorted(entry.title for entry in backend.suggest_titles(scope("elite"),
                                                                  "warehouse tra", 8)) == [
        "Warehouse transfers", "Warehouse transit times"]
    assert backend.suggest_titles(scope("staff"), "ware track", 8)[0].title == "Ware tracking"
    assert backend.suggest_titles(scope("xtreme"), "w", 8) == []


def test_did_you_mean_offers_a_word_of_a_readable_document_only(find, put):
    put("Reconciliation of accounts", "Bank reconciliation steps.")
    put("Depreciation schedules", "Depreciation of assets.", min_plan="elite")
    results = find("xtreme", "reconcilation")
    assert results.total == 0 and results.suggestion == "reconciliation"
    assert find("xtreme", "bank reconcilation").suggestion == "bank reconciliation"
    assert find("xtreme", "depreciaton").suggestion is None  # only elite may know the word
    assert find("elite", "depreciaton").suggestion == "depreciation"
    assert find("xtreme", "reconciliation").suggestion is None


def test_locked_titles_show_what_a_higher_plan_reads_and_are_never_counted(find, put):
    put("Payroll basics", "Payroll.")
    put("Payroll year end", "Closing payroll.", min_plan="elite")
    put("Payroll draft", "Payroll.", status="draft", min_plan="elite")
    results = find("xtreme", "payroll")
    assert titles(results) == ["Payroll basics"] and results.total == 1
    assert [(entry.title, entry.required_plan) for entry in results.locked] == [
        ("Payroll year end", "elite")]
    assert find("elite", "payroll").locked == []
    assert find("staff", "payroll").locked == []  # staff read everything anyway


def test_related_items_per_type_one_entry_an_item(backend, put, demo_accounts):
    put("Invoice matching", "Match invoices to orders.")
    put("Invoice approval", "Approve invoices.", type="release-note", product="Orbit ERP")
    put("Secret invoices", "Invoices.", min_plan="elite")
    found = backend.related(scope("xtreme"), "invoice approval flow",
                            ("article", "release-note", "recording"), 5)
    assert [entry.title for entry in found["article"]] == ["Invoice matching"]
    assert [entry.title for entry in found["release-note"]] == ["Invoice approval"]
    assert found["recording"] == []


def test_a_recording_is_one_result_with_its_matching_moments(backend, find, demo_accounts):
    staff = user_by_email("staff@demo.test")
    recording = recordings.publish_recording(staff, recordings.RecordingFields(
        title="Monitoring message flows", recorded_on=utcnow().date(),
        product="Orbit Integration Hub", topic="Integration"),
        recordings.Upload("flows.webm", io.BytesIO(webm_like(bytes(256)))), WEBVTT + (
        b"\n02:00.000 --> 02:05.000\nThe queue depth again, and the oldest message.\n"))
    index(backend, "recording", recording.id)
    assert len(documents_of(f"recording:{recording.id}")) == 5
    results = find("xtreme", "queue depth")
    assert results.total == 1 and len(results.hits) == 1
    hit = results.hits[0]
    assert hit.type == "recording" and hit.item_id == recording.id
    assert [(moment.seconds, moment.url) for moment in hit.moments] == [
        (4, f"/sessions/recordings/{recording.id}#t=4"),
        (120, f"/sessions/recordings/{recording.id}#t=120")]
    assert "<mark>" in hit.moments[0].snippet
    assert results.facets["type"] == [("recording", 1)]
    assert [entry.title for entry in backend.suggest_titles(scope("xtreme"), "monitor", 8)
            ] == ["Monitoring message flows"]


def test_autocomplete_folds_accents(backend, put, reader):
    put("Müller GmbH onboarding", "Setup.")
    assert [entry.title for entry in backend.suggest_titles(scope("xtreme"), "mull", 8)] == [
        "Müller GmbH onboarding"]
    assert [entry.title for entry in backend.suggest_titles(scope("xtreme"), "Mül", 8)] == [
        "Müller GmbH onboarding"]
