// A checksum against damage (a torn write, a flipped bit), not against an adversary, for
// the record cache. Four lanes of 8 bytes each go through a 64x64->128-bit multiply, as
// the wyhash family does; the lanes do not wait for each other, so a core runs them side
// by side (a single lane waits on the multiply, about a byte per cycle). Fed in pieces of
// any size, it gives what it gives for the whole.
//
// The values are part of the cache's format: a change here must change the cache's
// format version (tests/unit/checksum_test.cpp pins a few).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace brm {

class Checksum {
 public:
  void update(std::string_view bytes) {
    if (bytes.empty()) return;  // (and memcpy must not see a null pointer)
    total_ += bytes.size();
    if (carried_ > 0) {
      std::size_t n = std::min(block - carried_, bytes.size());
      std::memcpy(carry_ + carried_, bytes.data(), n);
      carried_ += n;
      bytes.remove_prefix(n);
      if (carried_ < block) return;
      absorb(carry_);
      carried_ = 0;
    }
    for (; bytes.size() >= block; bytes.remove_prefix(block)) absorb(bytes.data());
    std::memcpy(carry_, bytes.data(), bytes.size());
    carried_ = bytes.size();
  }

  std::uint64_t value() const {
    std::uint64_t lanes[4] = {lanes_[0], lanes_[1], lanes_[2], lanes_[3]};
    // What is left of the last block goes 8 bytes at a time, zero-padded, lane by lane.
    unsigned char last[block] = {};
    std::memcpy(last, carry_, carried_);
    for (std::size_t i = 0; i * 8 < carried_; ++i) lanes[i] = step(lanes[i], word(last + i * 8));
    std::uint64_t h = k1;
    for (std::uint64_t lane : lanes) h = step(h, lane);  // in order: swapped lanes differ
    return mix(h ^ total_, k1);
  }

 private:
  static constexpr std::size_t block = 32;
  static constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15ull, k2 = 0xD6E8FEB86659FD93ull;

  static std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
    __extension__ using Wide = unsigned __int128;
    Wide p = static_cast<Wide>(a) * b;
    return static_cast<std::uint64_t>(p) ^ static_cast<std::uint64_t>(p >> 64);
  }
  static std::uint64_t step(std::uint64_t h, std::uint64_t w) { return mix(h ^ w, k2) + k1; }
  static std::uint64_t word(const void* at) {
    std::uint64_t w;
    std::memcpy(&w, at, 8);
    return w;
  }
  void absorb(const void* at) {
    const auto* p = static_cast<const unsigned char*>(at);
    for (std::size_t i = 0; i < 4; ++i) lanes_[i] = step(lanes_[i], word(p + i * 8));
  }

  std::uint64_t lanes_[4] = {k1, k1 ^ k2, k2, k1 + k2};
  std::uint64_t total_ = 0;
  unsigned char carry_[block] = {};
  std::size_t carried_ = 0;
};

inline std::uint64_t checksum(std::string_view bytes) {
  Checksum c;
  c.update(bytes);
  return c.value();
}

}  // namespace brm
