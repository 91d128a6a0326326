#include "brm/record.hpp"

namespace brm {

std::string_view Record::text(std::string_view key) const {
  const Value* v = doc.find(key);
  return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

std::optional<Date> Record::date(std::string_view key) const { return Date::parse(text(key)); }

std::string_view Record::label() const {
  std::string_view field = kind_of(kind).label_field;
  std::string_view l = field.empty() ? std::string_view() : text(field);
  return l.empty() ? std::string_view(id) : l;
}

std::int64_t survey_scale(const Record& survey, const Settings& s) {
  return whole_number(survey.field("scale")).value_or(s.survey_scale);
}

}  // namespace brm
