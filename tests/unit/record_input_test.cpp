#include "brm/record_input.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "repo_fixture.hpp"

using namespace brm;
using brm::test::load;

namespace {

Repository people() {
  return load({{"customers/lena-oberg.yaml", "name: Lena Öberg\nrole: customer\n"},
               {"customers/lars-lund.yaml", "name: Lars Lund\nrole: customer\n"},
               {"customers/anna-berg.yaml", "name: Anna Berg\nrole: customer\n"},
               {"customers/anna-berg-2.yaml", "name: Anna Berg\nrole: customer\n"},
               {"customers/per-holm.yaml",
                "name: Per Holm\nrole: purchaser\ncustomer: lena-oberg\n"},
               {"complaints/2026-11-01-vpn.yaml",
                "customer: lena-oberg\nreceived: 2026-11-01\nseverity: low\nsummary: VPN\n"
                "status: open\n"}})
      .repo;
}

std::vector<const Record*> all_customers(const Repository& repo) {
  std::vector<const Record*> out;
  for (const Record& r : repo.of(KindId::Customer)) out.push_back(&r);
  return out;
}

std::string matched(const std::vector<const Record*>& among, std::string_view typed) {
  RecordMatch m = match_record(among, typed);
  if (m.record) return m.record->id;
  std::string out = m.candidates.empty() ? "none" : "several:";
  for (const Record* r : m.candidates) out += " " + r->id;
  if (!m.suggestion.empty()) out += " (did you mean " + m.suggestion + ")";
  return out;
}

}  // namespace

TEST_CASE("record input: an id, a name in any case and accents, or a unique prefix") {
  Repository repo = people();
  auto among = all_customers(repo);
  CHECK(matched(among, "lena-oberg") == "lena-oberg");
  CHECK(matched(among, "Lena Öberg") == "lena-oberg");
  CHECK(matched(among, "lena oberg") == "lena-oberg");
  CHECK(matched(among, "Lena Ö") == "lena-oberg");
  CHECK(matched(among, "le") == "lena-oberg");
  CHECK(matched(among, "l") == "several: lars-lund lena-oberg");
  CHECK(matched(among, "lena-obreg") == "none (did you mean lena-oberg)");
  CHECK(matched(among, "") == "none");
}

TEST_CASE("record input: an exact id wins over a name two records share") {
  Repository repo = people();
  auto among = all_customers(repo);
  CHECK(matched(among, "anna-berg") == "anna-berg");
  CHECK(matched(among, "Anna Berg") == "several: anna-berg anna-berg-2");
}

TEST_CASE("record input: a reference that needs role customer offers no purchaser") {
  Repository repo = people();
  const Reference* customer = nullptr;
  for (const Reference& r : kind_of(KindId::Customer).references)
    if (r.path == "customer") customer = &r;
  REQUIRE(customer);
  auto targets = reference_targets(repo, *customer);
  CHECK(targets.size() == 4);
  CHECK(matched(targets, "Per Holm").rfind("none", 0) == 0);
}

TEST_CASE("record input: Tab offers the ids that the typed id or name starts") {
  Repository repo = people();
  auto among = all_customers(repo);
  CHECK(complete_record(among, "lena Ö") == std::vector<std::string>{"lena-oberg"});
  CHECK(complete_record(among, "anna") == std::vector<std::string>{"anna-berg", "anna-berg-2"});
  CHECK(complete_record(among, "x").empty());
  CHECK(complete_record(among, "").size() == 5);
}

TEST_CASE("record input: records with the same name; for dated kinds on the same day") {
  Repository repo = people();
  CHECK(records_named(repo, KindId::Customer, "anna  BERG", std::nullopt).size() == 2);
  CHECK(records_named(repo, KindId::Customer, "Lena Oberg", std::nullopt).size() == 1);
  CHECK(records_named(repo, KindId::Customer, "Lena", std::nullopt).empty());
  CHECK(records_named(repo, KindId::Complaint, "vpn", Date::parse("2026-11-01")).size() == 1);
  CHECK(records_named(repo, KindId::Complaint, "vpn", Date::parse("2026-11-02")).empty());
}

TEST_CASE("record input: customers are offered it_contact, which the contacts measure counts") {
  REQUIRE(offered_fields(KindId::Customer).size() == 1);
  CHECK(offered_fields(KindId::Customer).front().field == "it_contact");
  CHECK(offered_fields(KindId::Agreement).empty());
}

TEST_CASE("record input: a new record's id parts, its namesakes and its defaults") {
  Repository repo = people();
  Value anna = Value::mapping();
  anna.set("name", Value::string("anna berg"));
  CHECK(id_source(KindId::Customer) == "name");
  CHECK(id_source(KindId::Meeting) == "customer");  // no name: the record it belongs to
  CHECK(id_parts(KindId::Customer, anna).label == "anna berg");
  CHECK(!id_parts(KindId::Customer, anna).date);
  CHECK(same_name_note(repo, KindId::Customer, anna) ==
        "2 customers named 'Anna Berg' exist already: anna-berg, anna-berg-2");
  anna.set("name", Value::string("Lars Lund"));
  CHECK(same_name_note(repo, KindId::Customer, anna) ==
        "a customer named 'Lars Lund' exists already: lars-lund");
  anna.set("name", Value::string("Nobody"));
  CHECK(same_name_note(repo, KindId::Customer, anna).empty());
  // Many namesakes: five of them by id, and how many more.
  std::vector<std::pair<std::string, std::string>> files;
  for (int i = 1; i <= 7; ++i)
    files.push_back({fmt::format("customers/eva{}.yaml", i), "name: Eva\nrole: customer\n"});
  anna.set("name", Value::string("Eva"));
  CHECK(same_name_note(load(files).repo, KindId::Customer, anna) ==
        "7 customers named 'Eva' exist already: eva1, eva2, eva3, eva4, eva5 and 2 more");

  // A complaint: received today when not given, status open; a given value stays.
  Value complaint = Value::mapping();
  complaint.set("summary", Value::string("VPN"));
  fill_add_defaults(KindId::Complaint, complaint, Date{2026, 12, 5});
  CHECK(complaint.find("received")->as_string() == "2026-12-05");
  CHECK(complaint.find("status")->as_string() == "open");
  CHECK(id_parts(KindId::Complaint, complaint).label == "VPN");
  CHECK(*id_parts(KindId::Complaint, complaint).date == Date{2026, 12, 5});
  // A namesake of another day is not one: dated ids do not clash.
  CHECK(same_name_note(repo, KindId::Complaint, complaint).empty());
  complaint.set("received", Value::string("2026-11-01"));
  complaint.set("status", Value::string("resolved"));
  fill_add_defaults(KindId::Complaint, complaint, Date{2026, 12, 5});
  CHECK(complaint.find("received")->as_string() == "2026-11-01");
  CHECK(complaint.find("status")->as_string() == "resolved");
  CHECK(same_name_note(repo, KindId::Complaint, complaint) ==
        "a complaint named 'VPN' exists already: 2026-11-01-vpn");
}
