// Unified diffs. The edit script is Myers' O(ND) difference with a middle snake, as
// GNU diff (gnulib's diffseq.h) finds it, and its runs of changes are then slid as GNU
// diff's shift_boundaries slides them; so the hunks read as `diff -u` would print them.
#include "brm/unified_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace brm {
namespace {

// Lines with their newline: a last line without one differs from the same line with one.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::size_t n = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(0, n));
    text.remove_prefix(n);
  }
  return lines;
}

using Offset = std::ptrdiff_t;

// One file of the comparison: each line's equivalence class (from 1), whether it changed
// (one flag more than lines, so that a run can be scanned to its end), and the lines the
// edit script is searched among: those not discarded, with their indexes in `equiv`.
struct Side {
  std::vector<int> equiv;
  std::vector<char> changed;
  std::vector<int> kept;
  std::vector<std::size_t> real;
};

class Comparison {
 public:
  Comparison(Side* x, Side* y) : x_(x), y_(y) {
    Offset diags = static_cast<Offset>(x->kept.size() + y->kept.size()) + 3;
    diag_space_.assign(static_cast<std::size_t>(2 * diags), 0);
    fd_ = diag_space_.data() + y->kept.size() + 1;
    bd_ = fd_ + diags;
  }

  void compare(Offset xoff, Offset xlim, Offset yoff, Offset ylim) {
    while (xoff < xlim && yoff < ylim && same(xoff, yoff)) ++xoff, ++yoff;
    while (xoff < xlim && yoff < ylim && same(xlim - 1, ylim - 1)) --xlim, --ylim;
    if (xoff == xlim) {
      while (yoff < ylim) mark(y_, yoff++);
    } else if (yoff == ylim) {
      while (xoff < xlim) mark(x_, xoff++);
    } else {
      auto [xmid, ymid] = middle_snake(xoff, xlim, yoff, ylim);
      compare(xoff, xmid, yoff, ymid);
      compare(xmid, xlim, ymid, ylim);
    }
  }

 private:
  static void mark(Side* s, Offset k) { s->changed[s->real[static_cast<std::size_t>(k)]] = 1; }
  bool same(Offset i, Offset j) const {
    return x_->kept[static_cast<std::size_t>(i)] == y_->kept[static_cast<std::size_t>(j)];
  }

  // The point where a forward and a backward search of equal cost meet, on a shortest
  // edit script from (xoff, yoff) to (xlim, ylim). Diagonal d holds the points x - y = d.
  std::pair<Offset, Offset> middle_snake(Offset xoff, Offset xlim, Offset yoff, Offset ylim) {
    const Offset dmin = xoff - ylim, dmax = xlim - yoff;
    const Offset fmid = xoff - yoff, bmid = xlim - ylim;
    Offset fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    const bool odd = (fmid - bmid) & 1;
    fd_[fmid] = xoff;
    bd_[bmid] = xlim;
    for (;;) {
      if (fmin > dmin)
        fd_[--fmin - 1] = -1;
      else
        ++fmin;
      if (fmax < dmax)
        fd_[++fmax + 1] = -1;
      else
        --fmax;
      for (Offset d = fmax; d >= fmin; d -= 2) {
        Offset tlo = fd_[d - 1], thi = fd_[d + 1];
        Offset x = tlo < thi ? thi : tlo + 1, y = x - d;
        while (x < xlim && y < ylim && same(x, y)) ++x, ++y;
        fd_[d] = x;
        if (odd && bmin <= d && d <= bmax && bd_[d] <= x) return {x, y};
      }
      if (bmin > dmin)
        bd_[--bmin - 1] = PTRDIFF_MAX;
      else
        ++bmin;
      if (bmax < dmax)
        bd_[++bmax + 1] = PTRDIFF_MAX;
      else
        --bmax;
      for (Offset d = bmax; d >= bmin; d -= 2) {
        Offset tlo = bd_[d - 1], thi = bd_[d + 1];
        Offset x = tlo < thi ? tlo : thi - 1, y = x - d;
        while (xoff < x && yoff < y && same(x - 1, y - 1)) --x, --y;
        bd_[d] = x;
        if (!odd && fmin <= d && d <= fmax && x <= fd_[d]) return {x, y};
      }
    }
  }

  Side* x_;
  Side* y_;
  std::vector<Offset> diag_space_;
  Offset* fd_;
  Offset* bd_;
};

// GNU diff's discard_confusing_lines: a line that matches no line of the other file is
// changed for certain and left out of the search; one that matches very many is left out
// too when it sits inside a run of such lines. This steers which of several shortest
// scripts is found, as GNU diff's own choice is steered.
void mark_discardable(const Side& side, const std::vector<int>& other_count,
                      std::vector<char>* discards) {
  const std::size_t end = side.equiv.size();
  std::size_t many = 5;
  for (std::size_t tem = end / 64; (tem >>= 2) > 0;) many *= 2;
  for (std::size_t i = 0; i < end; ++i) {
    auto n = static_cast<std::size_t>(other_count[static_cast<std::size_t>(side.equiv[i])]);
    (*discards)[i] = n == 0 ? 1 : n > many ? 2 : 0;
  }
}

// Cancels the provisional discards of every subrun of them at least `minimum` long, a
// minimum that grows with the length of the run [i, i + length).
void cancel_long_subruns(std::vector<char>& d, std::size_t i, std::size_t length) {
  std::size_t minimum = 1;
  for (std::size_t tem = length >> 2; (tem >>= 2) > 0;) minimum <<= 1;
  ++minimum;
  for (std::size_t k = 0, consec = 0; k < length; ++k) {
    if (d[i + k] != 2)
      consec = 0;
    else if (minimum == ++consec)
      k -= consec;  // back to the start of the subrun, to cancel it all
    else if (minimum < consec)
      d[i + k] = 0;
  }
}

// Cancels provisional discards from one edge of a run inward (at(k) is the k-th line from
// that edge), until three certain ones in a row, or a certain one eight lines in.
template <class At>
void cancel_at_edge(std::vector<char>& d, std::size_t length, At at) {
  for (std::size_t k = 0, consec = 0; k < length; ++k) {
    char& c = d[at(k)];
    if (k >= 8 && c == 1) break;
    if (c == 2)
      consec = 0, c = 0;
    else if (c == 0)
      consec = 0;
    else if (++consec == 3)
      break;
  }
}

// Settles the run of discards that starts with a certain one at i; returns how many lines
// past i are settled (none when all its provisional ones were cancelled, as GNU diff then
// goes on from the next line).
std::size_t settle_run(std::vector<char>& d, std::size_t i) {
  std::size_t j = i, provisional = 0;
  for (; j < d.size() && d[j] != 0; ++j)
    if (d[j] == 2) ++provisional;
  while (j > i && d[j - 1] == 2) d[--j] = 0, --provisional;
  const std::size_t length = j - i;
  if (provisional * 4 > length) {
    while (j > i)
      if (d[--j] == 2) d[j] = 0;
    return 0;
  }
  cancel_long_subruns(d, i, length);
  cancel_at_edge(d, length, [&](std::size_t k) { return i + k; });
  const std::size_t last = i + length - 1;
  cancel_at_edge(d, length, [&](std::size_t k) { return last - k; });
  return length - 1;
}

// Keeps the provisional discards (2) only inside runs of certain ones (1).
void settle_provisional(std::vector<char>& d) {
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d[i] == 2)
      d[i] = 0;
    else if (d[i] == 1)
      i += settle_run(d, i);
  }
}

void discard_confusing_lines(Side& x, Side& y, int classes) {
  std::vector<int> count_x(static_cast<std::size_t>(classes) + 1), count_y = count_x;
  for (int e : x.equiv) ++count_x[static_cast<std::size_t>(e)];
  for (int e : y.equiv) ++count_y[static_cast<std::size_t>(e)];
  std::vector<char> dx(x.equiv.size()), dy(y.equiv.size());
  mark_discardable(x, count_y, &dx);
  mark_discardable(y, count_x, &dy);
  settle_provisional(dx);
  settle_provisional(dy);
  for (auto [side, d] : {std::pair{&x, &dx}, std::pair{&y, &dy}}) {
    for (std::size_t i = 0; i < side->equiv.size(); ++i) {
      if ((*d)[i]) {
        side->changed[i] = 1;
      } else {
        side->kept.push_back(side->equiv[i]);
        side->real.push_back(i);
      }
    }
  }
}

// GNU diff's shift_boundaries: a run of changed lines that could as well sit a few lines
// earlier or later (the same lines repeat around it) is merged with its neighbours where
// it can, slid down as far as it goes, and back again to line up with a run of changes
// in the other file.
class BoundaryShift {
 public:
  BoundaryShift(Side& side, const Side& other)
      : equivs_(side.equiv),
        changed_(side.changed),
        other_changed_(other.changed),
        i_end_(static_cast<Offset>(equivs_.size())) {}

  // i_ walks this file's lines, j_ the other's, in step over the unchanged ones.
  void run() {
    for (;;) {
      while (i_ < i_end_ && !ch(i_)) {  // unchanged lines pair with the other file's
        while (other_ch(j_++)) continue;
        ++i_;
      }
      if (i_ == i_end_) break;
      Offset start = i_;
      while (ch(++i_)) continue;
      while (other_ch(j_)) ++j_;
      shift_run(start);
    }
  }

 private:
  // The run of changes [start, i_): merged, slid down, and back up to `corresponding`,
  // the end of the last position where it lined up with changes in the other file.
  void shift_run(Offset start) {
    Offset runlength, corresponding;
    do {
      runlength = i_ - start;
      slide_up(start);
      corresponding = other_ch(j_ - 1) ? i_ : i_end_;
      slide_down(start, corresponding);
    } while (runlength != i_ - start);
    while (corresponding < i_) {
      ch(--start) = 1;
      ch(--i_) = 0;
      while (other_ch(--j_)) continue;
    }
  }

  // Up while the line before the run equals its last, merging with runs above.
  void slide_up(Offset& start) {
    while (start != 0 && eq(start - 1) == eq(i_ - 1)) {
      ch(--start) = 1;
      ch(--i_) = 0;
      while (start != 0 && ch(start - 1)) --start;
      while (other_ch(--j_)) continue;
    }
  }

  // Down while the line after the run equals its first, merging with runs below.
  void slide_down(Offset& start, Offset& corresponding) {
    while (i_ != i_end_ && eq(start) == eq(i_)) {
      ch(start++) = 0;
      ch(i_++) = 1;
      while (ch(i_)) ++i_;
      while (other_ch(++j_)) corresponding = i_;
    }
  }

  char& ch(Offset k) { return changed_[static_cast<std::size_t>(k)]; }
  char other_ch(Offset k) const {
    return k < 0 ? char(0) : other_changed_[static_cast<std::size_t>(k)];
  }
  int eq(Offset k) const { return equivs_[static_cast<std::size_t>(k)]; }

  const std::vector<int>& equivs_;
  std::vector<char>& changed_;
  const std::vector<char>& other_changed_;
  const Offset i_end_;
  Offset i_ = 0, j_ = 0;
};

void shift_boundaries(Side& side, const Side& other) { BoundaryShift(side, other).run(); }

struct Edit {  // a run of changes: old lines [x0, x1) became new lines [y0, y1)
  std::size_t x0, x1, y0, y1;
};

std::vector<Edit> edits_of(const Side& x, const Side& y) {
  std::vector<Edit> out;
  std::size_t i = 0, j = 0, n = x.equiv.size(), m = y.equiv.size();
  while (i < n || j < m) {
    if ((i < n && x.changed[i]) || (j < m && y.changed[j])) {
      Edit e{i, i, j, j};
      while (i < n && x.changed[i]) ++i;
      while (j < m && y.changed[j]) ++j;
      e.x1 = i;
      e.y1 = j;
      out.push_back(e);
    } else {
      ++i, ++j;
    }
  }
  return out;
}

std::string range(std::size_t start, std::size_t count) {
  // An empty range is named by the line before it.
  if (count == 1) return fmt::format("{}", start + 1);
  return fmt::format("{},{}", count == 0 ? start : start + 1, count);
}

void append_line(std::string& out, char mark, std::string_view line) {
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

void append_hunk(std::string& out, const std::vector<std::string_view>& a,
                 const std::vector<std::string_view>& b, const Edit* first, const Edit* last,
                 std::size_t context) {
  std::size_t x0 = first->x0 - std::min(context, first->x0);
  std::size_t y0 = first->y0 - (first->x0 - x0);
  std::size_t x1 = std::min(a.size(), last->x1 + context);
  std::size_t y1 = last->y1 + (x1 - last->x1);
  out += fmt::format("@@ -{} +{} @@\n", range(x0, x1 - x0), range(y0, y1 - y0));
  std::size_t i = x0;
  for (const Edit* e = first; e <= last; ++e) {
    for (; i < e->x0; ++i) append_line(out, ' ', a[i]);
    for (std::size_t k = e->x0; k < e->x1; ++k) append_line(out, '-', a[k]);
    for (std::size_t k = e->y0; k < e->y1; ++k) append_line(out, '+', b[k]);
    i = e->x1;
  }
  for (; i < x1; ++i) append_line(out, ' ', a[i]);
}

}  // namespace

std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_label, std::string_view new_label, int context) {
  if (old_text == new_text) return {};
  std::vector<std::string_view> a = split_lines(old_text), b = split_lines(new_text);
  const auto ctx = static_cast<std::size_t>(std::max(context, 0));
  // As GNU diff, lines the two share at the start and the end take no part, but for
  // `ctx` of them next to the changes, into which a change may still slide.
  std::size_t prefix = 0, suffix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  const std::size_t skip = prefix - std::min(prefix, ctx),
                    skip_end = suffix - std::min(suffix, ctx);
  std::unordered_map<std::string_view, int> classes;
  auto side_of = [&](const std::vector<std::string_view>& lines) {
    Side s;
    for (std::size_t i = skip; i + skip_end < lines.size(); ++i)
      s.equiv.push_back(
          classes.emplace(lines[i], static_cast<int>(classes.size()) + 1).first->second);
    s.changed.assign(s.equiv.size() + 1, 0);
    return s;
  };
  Side x = side_of(a), y = side_of(b);
  discard_confusing_lines(x, y, static_cast<int>(classes.size()));
  Comparison(&x, &y).compare(0, static_cast<Offset>(x.kept.size()), 0,
                             static_cast<Offset>(y.kept.size()));
  shift_boundaries(x, y);
  shift_boundaries(y, x);
  std::vector<Edit> edits = edits_of(x, y);
  for (Edit& e : edits) e.x0 += skip, e.x1 += skip, e.y0 += skip, e.y1 += skip;
  std::string out = fmt::format("--- {}\n+++ {}\n", old_label, new_label);
  for (std::size_t k = 0; k < edits.size();) {
    std::size_t end = k;  // edits closer than two contexts share a hunk
    while (end + 1 < edits.size() && edits[end + 1].x0 - edits[end].x1 <= 2 * ctx) ++end;
    append_hunk(out, a, b, &edits[k], &edits[end], ctx);
    k = end + 1;
  }
  return out;
}

}  // namespace brm
