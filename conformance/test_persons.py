"""Persons (issue 12, point 5): a company account's representative, owners, directors and
executives through /v1/accounts/{id}/persons, the requirements that follow them (Junction's
documented model for company accounts), `id_number` never returned, and person.* events."""

import pytest
import stripe


REPRESENTATIVE = {
    "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "phone": "+15555550100",
    "dob": {"day": 10, "month": 12, "year": 1985}, "id_number": "000000000", "ssn_last_4": "0000",
    "address": {"line1": "1 Main St", "city": "Springfield", "postal_code": "12345"},
    "relationship": {"representative": True, "executive": True, "title": "CEO", "percent_ownership": 60},
}


def company(client):
    return client.accounts.create({
        "type": "custom", "country": "US", "business_type": "company",
        "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
        "business_profile": {"mcc": "5734", "url": "https://acme.example"},
        "company": {"name": "Acme", "tax_id": "000000000", "phone": "+15555550100",
                    "address": {"line1": "1 Main St", "city": "Springfield", "postal_code": "12345"}},
        "tos_acceptance": {"date": 1700000000, "ip": "127.0.0.1"},
        "external_account": "btok_us_verified",
    })


def test_a_company_needs_its_representative_and_owners(platform):
    _, client = platform
    account = company(client)
    due = account.requirements.currently_due
    assert "representative.first_name" in due and "company.owners_provided" in due
    assert account.capabilities.card_payments == "inactive" and account.payouts_enabled is False
    person = client.accounts.persons.create(account.id, REPRESENTATIVE)
    assert person.object == "person" and person.id.startswith("person_") and person.account == account.id
    assert person.relationship.representative is True and person.relationship.title == "CEO"
    assert person.relationship.percent_ownership == 60
    # Government ids are written, never read back.
    assert "id_number" not in person and person.id_number_provided is True and person.ssn_last_4_provided is True
    assert person.requirements.currently_due == []
    due = client.accounts.retrieve(account.id).requirements.currently_due
    assert due == ["company.owners_provided"]
    owner = client.accounts.persons.create(account.id, {"first_name": "Bob", "relationship": {"owner": True}})
    due = client.accounts.retrieve(account.id).requirements.currently_due
    assert f"{owner.id}.last_name" in due and f"{owner.id}.dob.day" in due
    client.accounts.persons.update(account.id, owner.id, {
        "last_name": "Builder", "email": "bob@example.com", "dob": {"day": 1, "month": 1, "year": 1980},
        "relationship": {"percent_ownership": 40}})
    done = client.accounts.update(account.id, {"company": {"owners_provided": True}})
    assert done.requirements.currently_due == [] and done.capabilities.card_payments == "active"
    assert done.charges_enabled is True and done.payouts_enabled is True
    types = [e.type for e in client.events.list({"limit": 20}, options={"stripe_account": account.id}).data]
    assert "person.created" in types and "person.updated" in types


def test_list_filters_retrieve_and_delete(platform):
    _, client = platform
    account = company(client)
    representative = client.accounts.persons.create(account.id, REPRESENTATIVE)
    director = client.accounts.persons.create(account.id, {"first_name": "Cy", "last_name": "D",
                                                           "relationship": {"director": True}})
    assert [p.id for p in client.accounts.persons.list(account.id).data] == [director.id, representative.id]
    assert [p.id for p in client.accounts.persons.list(account.id, {"relationship": {"director": True}}).data] == [
        director.id]
    assert client.accounts.persons.retrieve(account.id, director.id).first_name == "Cy"
    # One representative: naming another moves it.
    client.accounts.persons.update(account.id, director.id, {"relationship": {"representative": True}})
    assert client.accounts.persons.retrieve(account.id, representative.id).relationship.representative is False
    deleted = client.accounts.persons.delete(account.id, representative.id)
    assert deleted.deleted is True
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.persons.retrieve(account.id, representative.id)
    assert raised.value.http_status == 404
    assert "person.deleted" in [e.type for e in client.events.list(
        {"type": "person.deleted"}, options={"stripe_account": account.id}).data]


def test_an_individual_accounts_person_is_its_individual(platform):
    _, client = platform
    account = client.accounts.create({"type": "custom", "country": "US", "business_type": "individual",
                                      "capabilities": {"transfers": {"requested": True}},
                                      "individual": {"first_name": "Jane", "id_number": "000000000"}})
    people = client.accounts.persons.list(account.id).data
    assert [p.id for p in people] == [account.individual.id] and people[0].id_number_provided is True
    updated = client.accounts.persons.update(account.id, account.individual.id, {"last_name": "Doe"})
    assert updated.last_name == "Doe" and client.accounts.retrieve(account.id).individual.last_name == "Doe"


def test_p10_a2_who_may_manage_persons(junction, platform):
    _, client = platform
    standard = client.accounts.create({"type": "standard"}).id
    with pytest.raises(stripe.PermissionError):
        client.accounts.persons.create(standard, {"first_name": "X"})
    account = company(client)
    other = junction.client(junction.application("platform")["secret_key"])
    with pytest.raises(stripe.PermissionError):
        other.accounts.persons.list(account.id)
