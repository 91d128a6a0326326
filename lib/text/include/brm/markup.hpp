// Escaping record text for the formats brm publishes into (HTML, Markdown, a terminal):
// record text is data, and must never become markup, a table column or a control code.
#pragma once

#include <string>
#include <string_view>

namespace brm {

// & < > " ' as character references: safe in element content and in quoted attributes
// (SVG included). Control characters other than tab and newline become U+FFFD.
std::string escape_html(std::string_view text);

// Inline Markdown text: ASCII punctuation that could start markup (emphasis, links, code,
// raw HTML, tables, entities) is backslash-escaped; line breaks become spaces so that a
// value stays in its paragraph, list item or table cell.
std::string escape_markdown(std::string_view text);

// One line for a terminal: line breaks and tabs become spaces and other control
// characters (escape sequences among them) are dropped, so that a record cannot move the
// cursor or recolour the screen.
std::string one_line(std::string_view text);

}  // namespace brm
