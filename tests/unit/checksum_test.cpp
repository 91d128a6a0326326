// The record cache's checksum: the same value however the bytes are fed, a different one
// for the damage it is there to catch, and pinned values (they are part of the format).
#include "brm/checksum.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>

namespace brm {
namespace {

std::string sample(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + i % 26));
  return s;
}

}  // namespace

TEST_CASE("checksum: fed in pieces of any size, the value of the whole") {
  std::string text = sample(200);
  for (std::size_t n : {0u, 1u, 7u, 8u, 31u, 32u, 33u, 63u, 64u, 65u, 200u}) {
    std::string_view whole = std::string_view(text).substr(0, n);
    std::uint64_t expected = checksum(whole);
    for (std::size_t cut = 0; cut <= n; ++cut) {
      Checksum c;
      c.update(whole.substr(0, cut));
      c.update(std::string_view());
      c.update(whole.substr(cut));
      CHECK(c.value() == expected);
    }
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    Checksum c;
    std::string_view rest = text;
    while (!rest.empty()) {
      std::size_t take = std::uniform_int_distribution<std::size_t>(0, 40)(rng) % (rest.size() + 1);
      c.update(rest.substr(0, take));
      rest.remove_prefix(take);
    }
    CHECK(c.value() == checksum(text));
  }
}

TEST_CASE("checksum: a flipped bit, swapped words or trailing zeros change the value") {
  std::string text = sample(100);  // three whole blocks and a part of one
  std::uint64_t original = checksum(text);
  for (std::size_t bit = 0; bit < text.size() * 8; ++bit) {
    std::string damaged = text;
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    CHECK(checksum(damaged) != original);
  }
  std::string swapped = text;
  swapped.replace(0, 8, text, 8, 8);  // the first two words of a block trade places
  swapped.replace(8, 8, text, 0, 8);
  CHECK(checksum(swapped) != original);
  std::string blocks_swapped = text;
  blocks_swapped.replace(0, 32, text, 32, 32);
  blocks_swapped.replace(32, 32, text, 0, 32);
  CHECK(checksum(blocks_swapped) != original);
  CHECK(checksum(text + std::string(1, '\0')) != original);
  CHECK(checksum(std::string(5, '\0')) != checksum(std::string(6, '\0')));
}

TEST_CASE("checksum: pinned values (changing them changes the record cache's format)") {
  std::string text = sample(100);
  CHECK(checksum("") == 0x82174ff214edbbecull);
  CHECK(checksum("brm") == 0xfb507c4be02b4edcull);
  CHECK(checksum(std::string_view(text).substr(0, 32)) == 0xde825c94fb191a67ull);
  CHECK(checksum(text) == 0x54912a819e0e97b9ull);
}

}  // namespace brm
