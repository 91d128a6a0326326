// The fuzz targets' work, shared by the libFuzzer binaries and the unit tests that replay
// the regressions. Every path a hand-edited file takes through brm_core is exercised:
// a broken record must come out as findings, never as a crash, a hang or a leak.
#include "fuzz_targets.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cmath>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#include "brm/agenda.hpp"
#include "brm/canonical.hpp"
#include "brm/csv.hpp"
#include "brm/date.hpp"
#include "brm/export.hpp"
#include "brm/json.hpp"
#include "brm/kinds.hpp"
#include "brm/measure.hpp"
#include "brm/merge.hpp"
#include "brm/report.hpp"
#include "brm/repository.hpp"
#include "brm/schemas.hpp"
#include "brm/yaml.hpp"
#include "git_index_file.hpp"
#include "yaml_block.hpp"

namespace brm::fuzz {
namespace {

constexpr std::string_view kToday = "2026-11-26";

constexpr std::string_view kSettings =
    "brm: 1\n"
    "organisation: Fuzz Group IT\n";

// A few records that the fuzzed one can refer to, so that the rules beyond one file
// (references, roles, purchaser chains) have something to resolve against.
struct Fixed {
  std::string_view path;
  std::string_view text;
};
constexpr Fixed kFixed[] = {
    {"customers/retail-division.yaml",
     "name: Anna Berg\nrole: customer\nunit: Retail Division\nit_contact: Erik Lund\n"},
    {"customers/retail-stores.yaml",
     "name: Per Holm\nrole: purchaser\ncustomer: retail-division\n"},
    {"services/email.yaml", "name: Email and calendar\nstatus: live\n"},
};

// A valid record of each kind, validated against a fuzzed schema/<kind>.schema.yaml.
constexpr std::string_view kSample[kind_count] = {
    "name: Eva Lind\nrole: customer\n",
    "title: Retail IT services 2026\ncustomer: retail-division\nstatus: active\n"
    "start: 2026-01-01\nservices:\n  - service: email\n",
    "customer: retail-stores\nreceived: 2026-03-04\nseverity: high\n"
    "summary: Email outages\nstatus: open\n",
    "date: 2026-03-15\ncustomer: retail-division\nattendees: [Anna Berg]\n",
    "title: Satisfaction 2026\ndate: 2026-06-01\nresponses:\n"
    "  - customer: retail-division\n    score: 4\n",
    "name: Printing\nstatus: live\n",
    "title: Password reset\ncustomer: retail-stores\ntype: requirement\n"
    "raised: 2026-02-01\nstatus: proposed\n",
};

// operator== but with NaN equal to itself: `.nan` under `extra:` is valid data.
bool same(const Value& a, const Value& b) {
  if (a.type() == Value::Type::Float && b.type() == Value::Type::Float &&
      std::isnan(a.as_double()) && std::isnan(b.as_double()))
    return true;
  if (a.is_sequence() && b.is_sequence()) {
    if (a.items().size() != b.items().size()) return false;
    for (std::size_t i = 0; i < a.items().size(); ++i)
      if (!same(a.items()[i], b.items()[i])) return false;
    return true;
  }
  if (a.is_mapping() && b.is_mapping()) {
    if (a.entries().size() != b.entries().size()) return false;
    for (const auto& e : a.entries()) {
      const Value* other = b.find(e.key);
      if (!other || !same(e.value, *other)) return false;
    }
    return true;
  }
  return a == b;
}

// A valid record must survive `brm fmt`: its canonical text reads back as the same
// record, and formatting that again changes nothing.
std::string check_canonical(const Record& r) {
  std::string text = to_canonical_yaml(r.kind, r.doc);
  Value back;
  Diagnostics findings;
  if (!parse_yaml(text, r.path(), &back, &findings))
    return fmt::format("{}: the canonical text does not parse: {}\n--- text:\n{}", r.path(),
                       findings.empty() ? "" : format_text(findings.front()), text);
  if (!same(back, r.doc))
    return fmt::format("{}: the canonical text reads back as another record\n--- text:\n{}",
                       r.path(), text);
  std::string again = to_canonical_yaml(r.kind, back);
  if (again != text)
    return fmt::format("{}: canonical form is not a fixed point\n--- first:\n{}--- second:\n{}",
                       r.path(), text, again);
  return {};
}

// Tags the HTML report never writes itself: if one shows up, record text got through
// unescaped.
std::string check_html(const std::string& html) {
  for (std::string_view tag : {"<script", "<iframe", "<img", "<object", "<embed", "<form", "<input",
                               "<link", "<base", "<a "}) {
    if (html.find(tag) != std::string::npos)
      return fmt::format("the HTML report holds '{}': record text was not escaped", tag);
  }
  return {};
}

// A finding is one line whatever the record's text holds: a line break would let a file
// forge a GitHub workflow command (`::set-output ...`) or a fake finding, and a control
// character would reach the terminal as an escape sequence.
std::string check_finding(const Diagnostic& d) {
  std::string github = format_github(d);
  if (github.find_first_of("\r\n") != std::string::npos)
    return fmt::format("a --format github finding spans lines: {}", github);
  std::string text = format_text(d);
  for (char c : text)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F)
      return fmt::format("a text finding holds the control character {:#04x}: {}",
                         static_cast<unsigned>(static_cast<unsigned char>(c)), text);
  return {};
}

// Text for a terminal: record text must not carry a control character into it.
std::string check_terminal(std::string_view what, const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    if ((c < 0x20 && c != '\n') || c == 0x7F || c1)
      return fmt::format("{} holds the control character {:#04x} at byte {}", what,
                         static_cast<unsigned>(c1 ? static_cast<unsigned char>(text[i + 1]) : c),
                         i);
  }
  return {};
}

std::string check_json(std::string_view what, const std::string& text) {
  Value v;
  JsonError error;
  if (!parse_json(text, &v, &error))
    return fmt::format("{} is not valid JSON: {} at {}:{}", what, error.message, error.mark.line,
                       error.mark.column);
  return {};
}

std::string check_export_csv(const Repository& repo) {
  for (const ExportFile& f : export_files(repo, ExportFormat::Csv)) {
    std::vector<CsvRow> rows;
    std::string error;
    if (!parse_csv(f.content, &rows, &error))
      return fmt::format("export {} does not parse as CSV: {}", f.name, error);
    if (rows.empty()) return fmt::format("export {} has no header row", f.name);
    for (const CsvRow& row : rows)
      if (row.cells.size() != rows.front().cells.size())
        return fmt::format("export {}: line {} has {} cells, the header {}", f.name, row.line,
                           row.cells.size(), rows.front().cells.size());
  }
  return {};
}

// Everything downstream of the model: none of it may crash on a repository that loaded,
// whatever its findings.
std::string run_downstream(const Repository& repo) {
  Date today = *Date::parse(kToday);
  Measures m = compute_measures(repo, today);
  if (auto e = check_json("measures", measures_to_json(m)); !e.empty()) return e;
  if (auto e = check_terminal("measure's text", measures_to_text(m, repo.settings.organisation));
      !e.empty())
    return e;
  (void)measures_to_markdown(m, repo.settings.organisation);
  (void)measures_to_csv(m);

  AgendaOptions options;
  options.today = today;
  std::vector<AgendaItem> items = build_agenda(repo, options);
  AgendaHeading heading;
  heading.organisation = repo.settings.organisation;
  heading.today = today;
  heading.days = repo.settings.review_warning_days;
  if (auto e = check_terminal("agenda's text", agenda_text(items, heading, false)); !e.empty())
    return e;
  (void)agenda_markdown(items, heading);
  if (auto e = check_json("the agenda", agenda_json(items)); !e.empty()) return e;

  ReportOptions report;
  report.as_of = today;
  if (auto e = check_html(render_report(repo, report, ReportFormat::Html)); !e.empty()) return e;
  (void)render_report(repo, report, ReportFormat::Markdown);
  report.account = "retail-division";
  if (auto e = check_html(render_report(repo, report, ReportFormat::Html)); !e.empty()) return e;

  if (auto e = check_json("export", export_json(repo)); !e.empty()) return e;
  return check_export_csv(repo);
}

}  // namespace

std::string run_yaml_block_input(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // The loader only hands over valid UTF-8 (it reports the rest itself): parse_yaml's
  // own checks decide, through a finding that comes before any parsing.
  Value ignored;
  Diagnostics findings;
  parse_yaml(text, "customers/x.yaml", &ignored, &findings);
  for (const Diagnostic& d : findings)
    if (d.rule == "invalid-utf8" || d.rule == "not-text" || d.rule == "too-large") return {};
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string fast = block_yaml_event_log(text);
  if (fast.empty()) return {};
  std::string slow = yaml_cpp_event_log(text);
  if (fast != slow)
    return fmt::format(
        "the subset reader's events differ from yaml-cpp's:\n--- subset\n{}--- yaml-cpp\n{}", fast,
        slow);
  return {};
}

std::string run_git_index_input(const std::uint8_t* data, std::size_t size) {
  std::optional<gitx::IndexFile> index = gitx::IndexFile::from_bytes(
      gitx::IndexFile::with_checksum(std::string(reinterpret_cast<const char*>(data), size)));
  if (!index) return {};
  std::string written = index->bytes();
  std::optional<gitx::IndexFile> again = gitx::IndexFile::from_bytes(written);
  if (!again) return "what the index would write does not read back";
  if (again->bytes() != written) return "what the index would write is not written the same again";
  const std::string name = "complaints/2026-11-26-fuzz.yaml";
  if (!index->can_put(name)) return {};
  struct ::stat st {};
  st.st_mode = S_IFREG | 0644;
  st.st_size = 5;
  index->put(name, st, blob_object_id_of("fuzz\n"), 0100644);
  std::optional<gitx::IndexFile> put = gitx::IndexFile::from_bytes(index->bytes());
  if (!put) return "an index with an entry put in does not read back";
  if (!put->tracked(name) || put->mode_of(name) != 0100644u)
    return "the entry put in is not in what the index writes";
  return {};
}

void init_fuzzing() {
  // Rules and measures depend on today; a fuzz finding must replay the same way tomorrow.
  ::setenv("BRM_TODAY", std::string(kToday).c_str(), 1);
}

std::string run_record_input(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return {};
  unsigned mode = data[0] % 16u;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);

  Snapshot snap;
  snap.files.push_back({"brm.yaml", std::string(kSettings), {}});
  for (const Fixed& f : kFixed)
    snap.files.push_back({std::string(f.path), std::string(f.text), {}});
  std::string fuzzed_path;
  if (mode == 7) {
    snap.files.front().content = text;
  } else if (mode >= 8 && mode <= 14) {
    const Kind& k = kinds()[mode - 8];
    snap.files.push_back({fmt::format("schema/{}.schema.yaml", k.name), text, {}});
    snap.files.push_back(
        {fmt::format("{}/sample.yaml", k.folder), std::string(kSample[mode - 8]), {}});
  } else {
    const Kind& k = kinds()[mode == 15 ? 0 : mode];
    fuzzed_path = fmt::format("{}/fuzzed.yaml", k.folder);
    snap.files.push_back({fuzzed_path, text, {}});
  }

  Diagnostics findings;
  LoadOptions options;
  options.threads = 1;
  Repository repo = load_repository(std::move(snap), &findings, options);
  for (const Diagnostic& d : findings)
    if (auto e = check_finding(d); !e.empty()) return e;
  if (auto e = check_json("findings", format_json(findings, repo.files)); !e.empty()) return e;

  for (const auto& records : repo.records)
    for (const Record& r : records) {
      (void)repo.referrers(r.kind, r.id);
      if (r.valid)
        if (auto e = check_canonical(r); !e.empty()) return e;
    }
  return run_downstream(repo);
}

std::string run_csv_input(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<CsvRow> rows;
  std::string error;
  if (!parse_csv(text, &rows, &error)) {
    if (error.rfind("line ", 0) != 0)
      return fmt::format("parse_csv error without a line: {}", error);
    return {};
  }
  std::size_t last_line = 0;
  for (const CsvRow& row : rows) {
    if (row.line <= last_line) return fmt::format("row lines do not increase at line {}", row.line);
    last_line = row.line;
    if (row.cells.empty()) return fmt::format("line {}: a row with no cells", row.line);
    // A row of one empty cell is written as an empty line, which is no row: skip it.
    if (row.cells.size() == 1 && row.cells[0].empty()) continue;
    // Below a header line, as in a real file: a BOM at the very start would be skipped.
    std::string text_back = "header\n" + csv_line(row.cells);
    std::vector<CsvRow> back;
    if (!parse_csv(text_back, &back, &error))
      return fmt::format("line {}: csv_line's output does not parse: {}", row.line, error);
    if (back.size() != 2 || back[1].cells.size() != row.cells.size())
      return fmt::format("line {}: csv_line's output reads back as {} rows / other cells", row.line,
                         back.size() - 1);
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      const std::string& was = row.cells[c];
      const std::string& now = back[1].cells[c];
      if (now != was && now != "'" + was)
        return fmt::format("line {} cell {}: csv_line changed the text", row.line, c + 1);
    }
  }
  return {};
}

// ---- the record merge ----------------------------------------------------------

namespace {

// Two valid records of each kind: the base, and where the edits take their values from.
constexpr std::string_view kMergeSamples[kind_count][2] = {
    {"name: Anna Berg\nrole: customer\ntitle: Head of Retail\nemail: anna@example.com\n"
     "phone: \"+46 8 123\"\nit_contact: Erik Lund\nbudget:\n  amount: 1200\n  year: 2026\n"
     "since: 2024-03-01\nnotes: Chairs the board\n",
     "name: Per Holm\nrole: customer\nunit: Stores\nemail: per@example.com\nphone: \"+46 8 999\"\n"
     "status: inactive\nbudget:\n  amount: 5\n  currency: SEK\nextra:\n  region: north\n"},
    {"title: Retail IT 2026\ncustomer: retail-division\nstatus: active\nstart: 2026-01-01\n"
     "end: 2026-12-31\nservices:\n  - service: email\n    levels:\n      - metric: availability\n"
     "        target: 99.5\n        unit: percent\n  - service: desk\n",
     "title: Retail IT 2027\ncustomer: retail-division\nstatus: draft\nstart: 2027-01-01\n"
     "review: 2026-10-01\nservices:\n  - service: email\n    levels:\n      - metric: "
     "availability\n"
     "        target: 99.9\n        unit: percent\n      - metric: response\n        target: 4\n"
     "        unit: hours\n  - service: print\nfinancing:\n  amount: 10\n  period: yearly\n"},
    {"customer: retail-stores\nreceived: 2026-03-04\nseverity: high\nsummary: Email outages\n"
     "status: open\nchannel: email\n",
     "customer: retail-division\nreceived: 2026-03-01\nseverity: low\nsummary: Slow desk\n"
     "status: in-progress\ndescription: long waits\nservice: desk\n"},
    {"date: 2026-03-15\ncustomer: retail-division\nattendees: [Anna Berg, Erik Lund]\n"
     "agenda: [Review]\nactions:\n  - what: Send draft\n    owner: Erik Lund\n    due: 2026-03-31\n"
     "  - what: Plan Wi-Fi\n    owner: Erik Lund\n    due: 2026-06-30\n",
     "date: 2026-04-15\ncustomer: retail-stores\ntype: review\nattendees: [Per Holm]\n"
     "decisions: [Keep the window]\nminutes: fine\nactions:\n  - what: Send draft\n"
     "    owner: Anna Berg\n    due: 2026-04-30\n    done: 2026-04-20\n"
     "  - what: Book review\n    owner: Per Holm\n    due: 2026-05-01\n"},
    {"title: Satisfaction 2026\ndate: 2026-06-01\nquestions:\n  - id: overall\n    text: Overall\n"
     "responses:\n  - customer: retail-division\n    score: 4\n  - customer: retail-stores\n"
     "    score: 3\n    comment: ok\n",
     "title: Satisfaction 2027\ndate: 2027-06-01\nscale: 5\nresponses:\n  - customer: "
     "retail-division\n"
     "    score: 5\n    comment: great\n  - customer: north\n    score: 2\n"},
    {"name: Printing\nstatus: live\nowner: Workplace\n",
     "name: Email\nstatus: retired\ndescription: gone\n"},
    {"title: Password reset\ncustomer: retail-stores\ntype: requirement\nraised: 2026-02-01\n"
     "status: proposed\n",
     "title: Badge reader\ncustomer: retail-division\ntype: change\nraised: 2026-01-01\n"
     "status: accepted\ndecided: 2026-02-01\ndescription: doors\n"},
    {"title: Retail strategy\ncustomer: retail-division\ntype: strategy\nstart: 2026-01-01\n"
     "objectives: [Open stores]\nimplications: [Store systems]\nstatus: current\n",
     "title: Warehouse move\ncustomer: retail-stores\ntype: change\nstart: 2026-03-01\n"
     "end: 2026-12-31\nreview: 2026-06-01\nobjectives: [One site]\nstatus: superseded\n"},
    {"title: Rollout\ncustomer: retail-division\nstatus: active\nhealth: green\n"
     "start: 2026-02-01\nplanned_end: 2026-09-30\nmilestones:\n  - what: Pilot\n"
     "    due: 2026-04-30\n  - what: All stores\n    due: 2026-09-30\n",
     "title: Scanners\ncustomer: retail-stores\nstatus: active\nhealth: red\nmanager: Ola\n"
     "start: 2026-01-01\nplanned_end: 2026-06-30\nforecast_end: 2026-08-31\nmilestones:\n"
     "  - what: Pilot\n    due: 2026-03-31\n    done: 2026-04-05\n  - what: Training\n"
     "    due: 2026-05-31\n"},
    {"agreement: retail-2026\nstart: 2026-03-01\nend: 2026-03-31\nlevels:\n"
     "  - service: email\n    metric: availability\n    achieved: 99.1\n",
     "agreement: retail-2026\nstart: 2026-04-01\nend: 2026-04-30\nsource: report\nlevels:\n"
     "  - service: email\n    metric: availability\n    achieved: 99.9\n"
     "  - service: desk\n    metric: response\n    achieved: 3\n    note: fine\n"},
};

Value sample_doc(std::string_view text) {
  Value doc;
  Diagnostics ignored;
  parse_yaml(text, "sample.yaml", &doc, &ignored);
  return doc;
}

// Reads the edit script one byte at a time; zeros past its end.
struct Script {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t at = 0;
  std::size_t next() { return at < size ? data[at++] : 0; }
  bool done() const { return at >= size; }
};

const std::string& pick_key(const Value& map, std::size_t n) {
  return map.entries()[n % map.entries().size()].key;
}

// One edit of `doc`, with values taken from `other`, a valid record of the same kind.
void edit(Value& doc, const Value& other, Script& s) {
  std::size_t op = s.next() % 5, a = s.next(), b = s.next();
  const Value& from = (a & 1) ? other : doc;
  if (from.entries().empty()) return;
  const std::string& key = pick_key(from, a >> 1);
  Value* list = doc.find(key);
  const Value* source = other.find(key);
  switch (op) {
    case 0:  // a field takes the other record's value, or goes
      if (source)
        doc.set(key, *source);
      else
        doc.erase(key);
      break;
    case 1:
      doc.erase(key);
      break;
    case 2:  // an item of the other record's list is added
      if (source && source->is_sequence() && source->size() > 0) {
        if (!list || !list->is_sequence()) list = &doc.set(key, Value::sequence());
        list->push_back(source->items()[b % source->size()]);
      }
      break;
    case 3:  // an item goes
      if (list && list->is_sequence() && list->size() > 0)
        list->items().erase(list->items().begin() + static_cast<std::ptrdiff_t>(b % list->size()));
      break;
    default:  // an item's field takes the value of the other record's item
      if (list && list->is_sequence() && list->size() > 0 && source && source->is_sequence() &&
          source->size() > 0) {
        Value& item = list->items()[b % list->size()];
        const Value& from_item = source->items()[(b >> 4) % source->size()];
        if (item.is_mapping() && from_item.is_mapping() && from_item.size() > 0) {
          const std::string& field = pick_key(from_item, s.next());
          item.set(field, *from_item.find(field));
        }
      }
  }
}

// The text with every marker region replaced by one side's lines.
std::string take_side(std::string_view text, bool ours) {
  std::string out;
  int region = 0;  // 0 outside, 1 ours, 2 theirs
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end == std::string_view::npos ? text.size() : end + 1);
    text.remove_prefix(line.size());
    if (line.starts_with("<<<<<<< "))
      region = 1;
    else if (line == "=======\n")
      region = 2;
    else if (line.starts_with(">>>>>>> "))
      region = 0;
    else if (region == 0 || (region == 1) == ours)
      out += line;
  }
  return out;
}

bool same_value(const Value* a, const Value* b) {
  if (!a || !b) return a == b;
  return same(*a, *b);
}

std::string check_one_sided(const Value& base, const Value& ours, const Value& theirs,
                            const Value& merged) {
  std::vector<std::string> keys;
  for (const Value* d : {&base, &ours, &theirs})
    for (const Value::Entry& e : d->entries()) keys.push_back(e.key);
  for (const std::string& k : keys) {
    const Value *b = base.find(k), *o = ours.find(k), *t = theirs.find(k);
    const Value* changed = nullptr;
    if (same_value(o, b) && !same_value(t, b))
      changed = t;
    else if (same_value(t, b) && !same_value(o, b))
      changed = o;
    else
      continue;
    if (!same_value(merged.find(k), changed))
      return fmt::format("'{}', changed on one side only, is not that side's in the merge", k);
  }
  return {};
}

std::string check_merge(KindId kind, const Value& b, const Value& o, const Value& t) {
  std::string bt = to_canonical_yaml(kind, b), ot = to_canonical_yaml(kind, o),
              tt = to_canonical_yaml(kind, t);
  FileMerge m = merge_record_files(bt, ot, tt, kind, "x.yaml");
  if (m.by_lines) return "valid records were merged as lines";
  if (m.clean) {
    Value merged;
    Diagnostics findings;
    if (!parse_yaml(m.text, "x.yaml", &merged, &findings)) return "a clean merge does not parse";
    if (!builtin_schema(kind).is_valid(merged))
      return "a clean merge does not validate:\n" + m.text;
    return check_one_sided(b, o, t, merged);
  }
  for (bool ours : {true, false}) {
    Value side;
    Diagnostics findings;
    if (!parse_yaml(take_side(m.text, ours), "x.yaml", &side, &findings) || !side.is_mapping())
      return fmt::format("taking {} of every conflict gives no record:\n{}",
                         ours ? "ours" : "theirs", m.text);
  }
  return {};
}

}  // namespace

std::string run_merge_input(const std::uint8_t* data, std::size_t size) {
  Script s{data, size};
  std::size_t k = s.next() % kind_count;
  KindId kind = kinds()[k].id;
  std::size_t first = s.next() & 1;
  Value base = sample_doc(kMergeSamples[k][first]);
  Value other = sample_doc(kMergeSamples[k][1 - first]);
  if (!builtin_schema(kind).is_valid(base) || !builtin_schema(kind).is_valid(other))
    return fmt::format("the merge samples of {} do not validate", kinds()[k].name);
  Value ours = base, theirs = base;
  // Edits alternate sides as the script says; then either side may not validate.
  while (!s.done()) {
    std::size_t side = s.next();
    edit(side & 1 ? theirs : ours, other, s);
  }
  if (!builtin_schema(kind).is_valid(ours) || !builtin_schema(kind).is_valid(theirs)) return {};
  return check_merge(kind, base, ours, theirs);
}

}  // namespace brm::fuzz
