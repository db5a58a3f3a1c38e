#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "compiler/util/semver.hpp"

using migpkg::PluginRequirement;
using migpkg::SemVer;
using migpkg::VersionRange;

namespace {

SemVer v(const std::string& text) {
  auto parsed = SemVer::parse(text);
  INFO("version: " << text);
  REQUIRE(parsed);
  return *parsed;
}

VersionRange range(const std::string& text) {
  std::string error;
  auto parsed = VersionRange::parse(text, &error);
  INFO("range: " << text << " error: " << error);
  REQUIRE(parsed);
  CHECK(error.empty());
  return *parsed;
}

// Checks that `text` contains every version of `inside` and none of `outside`.
void check_range(const std::string& text, const std::vector<std::string>& inside,
                 const std::vector<std::string>& outside) {
  VersionRange r = range(text);
  for (const auto& version : inside) {
    INFO("range '" << text << "' should contain " << version);
    CHECK(r.contains(v(version)));
  }
  for (const auto& version : outside) {
    INFO("range '" << text << "' should not contain " << version);
    CHECK_FALSE(r.contains(v(version)));
  }
}

}  // namespace

TEST_CASE("SemVer::parse reads MAJOR.MINOR.PATCH with pre-release and build", "[semver]") {
  SemVer plain = v("1.2.3");
  CHECK(plain.major == 1);
  CHECK(plain.minor == 2);
  CHECK(plain.patch == 3);
  CHECK(plain.prerelease.empty());
  CHECK(plain.build.empty());
  CHECK(plain.to_string() == "1.2.3");

  SemVer zero = v("0.0.0");
  CHECK(zero.major == 0);
  CHECK(zero.minor == 0);
  CHECK(zero.patch == 0);

  SemVer pre = v("1.0.0-alpha.1");
  CHECK(pre.prerelease == std::vector<std::string>{"alpha", "1"});
  CHECK(pre.build.empty());
  CHECK(pre.to_string() == "1.0.0-alpha.1");

  // A hyphen inside a pre-release identifier belongs to the identifier.
  SemVer hyphen = v("1.0.0-x-y-z.--");
  CHECK(hyphen.prerelease == std::vector<std::string>{"x-y-z", "--"});

  SemVer both = v("1.0.0-beta+exp.sha.5114f85");
  CHECK(both.prerelease == std::vector<std::string>{"beta"});
  CHECK(both.build == "exp.sha.5114f85");
  CHECK(both.to_string() == "1.0.0-beta+exp.sha.5114f85");

  // A hyphen in build metadata is not a pre-release separator.
  SemVer build_only = v("1.0.0+20130313144700-x");
  CHECK(build_only.prerelease.empty());
  CHECK(build_only.build == "20130313144700-x");

  // Leading zeros are allowed in build metadata and in alphanumeric pre-release identifiers.
  CHECK(SemVer::parse("1.0.0+001"));
  CHECK(SemVer::parse("1.0.0-0a"));
  CHECK(SemVer::parse("1.0.0-0"));

  // The largest accepted component.
  SemVer big = v("999999999.999999999.999999999");
  CHECK(big.major == 999999999);
  CHECK(big.patch == 999999999);
}

TEST_CASE("SemVer::parse refuses what semver.org 2.0.0 does not allow", "[semver]") {
  for (const std::string bad : {"",
                                "1",
                                "1.2",
                                "1.2.3.4",
                                "01.2.3",
                                "1.02.3",
                                "1.2.03",
                                "1.2.3-",
                                "1.2.3-01",
                                "1.2.3-alpha.01",
                                "1.2.3-alpha..1",
                                "1.2.3+",
                                "1.2.3+a..b",
                                "1.2.3-al$pha",
                                "1.2.3+a+b",
                                "v1.2.3",
                                "V1.2.3",
                                " 1.2.3",
                                "1.2.3 ",
                                "-1.2.3",
                                "1.-2.3",
                                "a.b.c",
                                "1.2.x",
                                "1..3",
                                "1.2.3-+b"}) {
    std::string error;
    INFO("input: '" << bad << "'");
    CHECK_FALSE(SemVer::parse(bad, &error));
    CHECK_FALSE(error.empty());
  }
}

TEST_CASE("SemVer::parse refuses numbers too large instead of overflowing", "[semver]") {
  for (const std::string huge :
       {"99999999999999999999999.0.0", "1.99999999999999999999999.0", "1.0.99999999999999999999999",
        "9223372036854775808.0.0", "1234567890.0.0"}) {
    INFO("input: " << huge);
    std::optional<SemVer> parsed;
    CHECK_NOTHROW(parsed = SemVer::parse(huge));
    CHECK_FALSE(parsed);
  }
  // Huge numeric pre-release identifiers are compared as digit strings, not converted.
  CHECK(v("1.0.0-99999999999999999999") < v("1.0.0-100000000000000000000"));
}

TEST_CASE("SemVer::parse works without an error sink and leaves the error empty on success",
          "[semver]") {
  CHECK_FALSE(SemVer::parse("nope", nullptr));
  std::string error;
  CHECK(SemVer::parse("1.2.3", &error));
  CHECK(error.empty());
}

TEST_CASE("SemVer precedence follows semver.org 2.0.0 section 11", "[semver]") {
  // 11.2: numeric comparison of major, minor, patch.
  CHECK(v("1.0.0") < v("2.0.0"));
  CHECK(v("2.0.0") < v("2.1.0"));
  CHECK(v("2.1.0") < v("2.1.1"));
  CHECK(v("1.9.0") < v("1.10.0"));  // numeric, not lexical
  CHECK(v("1.0.9") < v("1.0.10"));
  CHECK_FALSE(v("2.0.0") < v("1.99.99"));

  // 11.3: a pre-release ranks below its release.
  CHECK(v("1.0.0-alpha") < v("1.0.0"));
  CHECK(v("1.0.0") < v("1.0.1-alpha"));  // but above the previous release's successors

  // 11.4: the spec's example chain, each strictly below the next.
  const std::vector<std::string> chain = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                                          "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                                          "1.0.0-rc.1",  "1.0.0"};
  for (std::size_t i = 0; i < chain.size(); ++i) {
    for (std::size_t j = 0; j < chain.size(); ++j) {
      INFO(chain[i] << " vs " << chain[j]);
      int c = migpkg::compare(v(chain[i]), v(chain[j]));
      if (i < j) CHECK(c < 0);
      if (i == j) CHECK(c == 0);
      if (i > j) CHECK(c > 0);
    }
  }

  // Numeric identifiers compare numerically and rank below alphanumeric ones.
  CHECK(v("1.0.0-2") < v("1.0.0-10"));
  CHECK(v("1.0.0-999") < v("1.0.0-a"));
  CHECK(migpkg::compare(v("1.0.0-1"), v("1.0.0-1a")) < 0);  // "1a" is alphanumeric
  // Alphanumeric identifiers compare in ASCII order (upper case before lower case).
  CHECK(v("1.0.0-Beta") < v("1.0.0-alpha"));
  // "a-b" is one identifier, which sorts after "a"; so 1.0.0-a.b (identifiers a, b) ranks lower.
  CHECK(migpkg::compare(v("1.0.0-a"), v("1.0.0-a-b")) < 0);
  CHECK(v("1.0.0-a.b") < v("1.0.0-a-b"));
}

TEST_CASE("SemVer build metadata does not affect precedence", "[semver]") {
  CHECK(v("1.0.0+build.1") == v("1.0.0+build.2"));
  CHECK(v("1.0.0+zzz") == v("1.0.0"));
  CHECK(migpkg::compare(v("1.0.0-alpha+001"), v("1.0.0-alpha")) == 0);
  CHECK(v("1.0.0-alpha+zzz") < v("1.0.0-beta+aaa"));
  CHECK_FALSE(v("1.0.0+a") != v("1.0.0+b"));
  CHECK(v("1.0.0+b") <= v("1.0.0+a"));
}

TEST_CASE("VersionRange: comparison operators on full versions", "[semver]") {
  check_range(">=1.2.3", {"1.2.3", "1.2.4", "2.0.0"}, {"1.2.2", "1.2.3-rc.1", "0.9.9"});
  check_range(">1.2.3", {"1.2.4", "1.3.0", "1.2.4-alpha"}, {"1.2.3", "1.2.2", "1.2.3+build"});
  check_range("<=1.2.3", {"1.2.3", "1.2.3+build", "1.2.3-rc.1", "0.0.1"}, {"1.2.4", "2.0.0"});
  check_range("<1.2.3", {"1.2.2", "1.2.3-rc.1", "0.0.0"}, {"1.2.3", "1.2.4"});
  check_range("=1.2.3", {"1.2.3", "1.2.3+build.7"}, {"1.2.4", "1.2.2", "1.2.3-rc.1"});
  check_range("1.2.3", {"1.2.3"}, {"1.2.4", "1.2.3-rc.1"});
  check_range("=1.2.3-beta.2", {"1.2.3-beta.2"}, {"1.2.3-beta.11", "1.2.3"});
  // Build metadata on a range's version is allowed and ignored.
  check_range("=1.2.3-beta.2+build.5", {"1.2.3-beta.2", "1.2.3-beta.2+other"}, {"1.2.3"});
  check_range(">=1.2.3+001", {"1.2.3"}, {"1.2.2"});
  check_range(">=1.2.3-beta.2", {"1.2.3-beta.2", "1.2.3-beta.11", "1.2.3"}, {"1.2.3-beta.1"});
  // A leading v on a range's version is accepted.
  check_range(">=v1.2.3", {"1.2.3"}, {"1.2.2"});
}

TEST_CASE("VersionRange: caret ranges", "[semver]") {
  check_range("^1.2.3", {"1.2.3", "1.2.9", "1.9.9"},
              {"1.2.2", "2.0.0", "2.0.0-alpha", "2.0.0-0", "1.2.3-rc.1"});
  check_range("^1.2", {"1.2.0", "1.9.9"}, {"1.1.9", "2.0.0"});
  check_range("^1", {"1.0.0", "1.99.99"}, {"0.9.9", "2.0.0"});
  check_range("^1.x", {"1.0.0", "1.99.99"}, {"0.9.9", "2.0.0"});
  // Below 1.0.0 the left-most non-zero part is the one that must not change.
  check_range("^0.2.3", {"0.2.3", "0.2.9"}, {"0.2.2", "0.3.0", "0.3.0-alpha", "1.0.0"});
  check_range("^0.0.3", {"0.0.3"}, {"0.0.2", "0.0.4", "0.0.4-alpha", "0.1.0"});
  check_range("^0.0", {"0.0.0", "0.0.9"}, {"0.1.0"});
  check_range("^0", {"0.0.0", "0.9.9"}, {"1.0.0"});
  check_range("^0.0.0", {"0.0.0"}, {"0.0.1"});
  check_range("^1.2.3-beta.2", {"1.2.3-beta.2", "1.2.3", "1.5.0"}, {"1.2.3-beta.1", "2.0.0"});
}

TEST_CASE("VersionRange: tilde ranges", "[semver]") {
  check_range("~1.2.3", {"1.2.3", "1.2.99"}, {"1.2.2", "1.3.0", "1.3.0-alpha", "2.0.0"});
  check_range("~1.2", {"1.2.0", "1.2.99"}, {"1.1.9", "1.3.0"});
  check_range("~1", {"1.0.0", "1.99.0"}, {"0.9.0", "2.0.0"});
  check_range("~0.2.3", {"0.2.3", "0.2.4"}, {"0.2.2", "0.3.0"});
}

TEST_CASE("VersionRange: x-ranges and partial versions", "[semver]") {
  check_range("*", {"0.0.0", "1.2.3", "999.0.0", "1.0.0-alpha"}, {});
  check_range("", {"0.0.0", "5.0.0"}, {});  // an empty range means any version, like "*"
  check_range("1.x", {"1.0.0", "1.9.9"}, {"0.9.9", "2.0.0", "2.0.0-alpha"});
  check_range("1.X", {"1.0.0", "1.9.9"}, {"2.0.0"});
  check_range("1.*", {"1.0.0"}, {"2.0.0"});
  check_range("1.x.x", {"1.0.0", "1.9.9"}, {"2.0.0"});
  check_range("1.2.x", {"1.2.0", "1.2.9"}, {"1.1.9", "1.3.0"});
  check_range("1", {"1.0.0", "1.5.0"}, {"2.0.0", "0.1.0"});
  check_range("1.2", {"1.2.0", "1.2.5"}, {"1.3.0", "1.1.0"});
  check_range("=1.2", {"1.2.0", "1.2.5"}, {"1.3.0"});
  check_range(">=1.2", {"1.2.0", "1.3.0", "2.0.0"}, {"1.1.9", "1.2.0-rc.1"});
  check_range(">1.2", {"1.3.0", "2.0.0"}, {"1.2.0", "1.2.9"});
  check_range(">1", {"2.0.0"}, {"1.9.9"});
  check_range("<2", {"1.9.9", "0.0.0"}, {"2.0.0", "2.0.0-alpha", "2.0.0-0"});
  check_range("<1.2", {"1.1.9"}, {"1.2.0", "1.2.0-alpha"});
  check_range("<=1.2", {"1.2.0", "1.2.99"}, {"1.3.0", "1.3.0-alpha"});
  check_range("<=1", {"1.99.0"}, {"2.0.0"});
  check_range(">=*", {"0.0.0", "3.0.0"}, {});
  // A caret or tilde on a bare wildcard fixes no part: any version, like "*".
  check_range("^*", {"0.0.0", "0.5.0", "1.0.0", "3.0.0"}, {});
  check_range("~*", {"0.0.0", "1.0.0", "3.0.0"}, {});
  check_range("^x", {"0.1.0", "2.0.0"}, {});
  check_range("~x.x", {"0.1.0", "2.0.0"}, {});
}

TEST_CASE("VersionRange: space-separated comparators intersect", "[semver]") {
  check_range(">=1.2 <2", {"1.2.0", "1.5.0", "1.99.99"}, {"1.1.9", "2.0.0", "2.0.0-alpha"});
  check_range(">=1.2.3 <1.2.5", {"1.2.3", "1.2.4"}, {"1.2.5", "1.2.2"});
  check_range("  >=1.0.0   <=1.0.0  ", {"1.0.0"}, {"1.0.1", "0.9.9"});
  check_range(">=1.2, <2", {"1.2.0"}, {"2.0.0"});  // a comma between comparators is tolerated
  // An empty intersection is a valid range that contains nothing.
  check_range(">2 <1", {}, {"0.5.0", "1.5.0", "2.5.0"});
  // A lone operator followed by a space still applies to the next version.
  check_range(">= 1.2 < 2", {"1.2.0", "1.9.0"}, {"1.1.0", "2.0.0"});
  check_range("^ 1.2", {"1.2.0"}, {"2.0.0"});
}

TEST_CASE("VersionRange: || joins alternatives", "[semver]") {
  check_range("1.x || >=3.1 <4", {"1.0.0", "1.9.9", "3.1.0", "3.9.9"},
              {"0.9.9", "2.0.0", "3.0.0", "4.0.0"});
  check_range("^1.2||^2.1", {"1.2.0", "2.1.0"}, {"2.0.0", "3.0.0"});
  check_range("1.2.3 || 1.2.5 || 1.2.7", {"1.2.3", "1.2.5", "1.2.7"}, {"1.2.4", "1.2.6"});
  CHECK(range("1.x || 2.x").text() == "1.x || 2.x");
}

TEST_CASE("VersionRange: operators split by a space", "[semver]") {
  // Decision (from the code): a lone operator word is glued to the next word, so "> = 1.2"
  // reads as ">=1.2". Check that it means exactly that, not ">1.2" or "=1.2".
  check_range("> = 1.2", {"1.2.0", "1.2.5", "3.0.0"}, {"1.1.9"});
  // But stacked operators are not a version.
  CHECK_FALSE(VersionRange::parse(">= >= 1.2"));
  CHECK_FALSE(VersionRange::parse("= = 1.2"));
}

TEST_CASE("VersionRange: invalid ranges are refused with a reason", "[semver]") {
  for (const std::string bad : {"abc",
                                "1.2.3.4",
                                ">=1.2.3.4",
                                "x.1",
                                "1.x.3",
                                "*.2",
                                "<*",
                                ">*",
                                ">=",
                                "1.2 <",
                                "1.2.3 - 2.0.0",
                                ">=01.2",
                                ">=1.2.3-beta.2 <x.1",
                                "1.x || nope",
                                "1 | 2",
                                "^",
                                "~",
                                ">=1.2-beta",
                                "99999999999.0.0",
                                ">=1.2.3-",
                                ">=1.2.3-01",
                                ">=1.2.3-a..b",
                                ">=1.2.3+",
                                ">=1.2.3+a..b",
                                "1.2.3-beta+",
                                "=>1.2"}) {
    std::string error;
    INFO("range: '" << bad << "'");
    std::optional<VersionRange> parsed;
    CHECK_NOTHROW(parsed = VersionRange::parse(bad, &error));
    CHECK_FALSE(parsed);
    CHECK(error.find(bad) != std::string::npos);  // the message quotes the range
  }
}

TEST_CASE("PluginRequirement::parse splits plugin id and range at '@'", "[semver]") {
  std::string error;
  auto with_range = PluginRequirement::parse("acme.crm@>=1.2", &error);
  REQUIRE(with_range);
  CHECK(error.empty());
  CHECK(with_range->plugin == "acme.crm");
  CHECK(with_range->range.text() == ">=1.2");
  CHECK(with_range->range.contains(v("1.2.0")));
  CHECK(with_range->range.contains(v("7.0.0")));
  CHECK_FALSE(with_range->range.contains(v("1.1.9")));

  auto bare = PluginRequirement::parse("acme.crm", &error);
  REQUIRE(bare);
  CHECK(bare->plugin == "acme.crm");
  CHECK(bare->range.text() == "*");
  CHECK(bare->range.contains(v("0.0.1")));
  CHECK(bare->range.contains(v("42.0.0")));

  auto spaced = PluginRequirement::parse("acme.billing@^2.1 || ~3.0.4", &error);
  REQUIRE(spaced);
  CHECK(spaced->plugin == "acme.billing");
  CHECK(spaced->range.contains(v("2.9.0")));
  CHECK(spaced->range.contains(v("3.0.9")));
  CHECK_FALSE(spaced->range.contains(v("3.1.0")));
}

TEST_CASE("PluginRequirement::parse refuses a missing plugin or a bad range", "[semver]") {
  for (const std::string bad :
       {"@1.0", "@", "acme.crm@nope", "acme.crm@>=1.2.3.4", "acme.crm@@1"}) {
    std::string error;
    INFO("input: '" << bad << "'");
    CHECK_FALSE(PluginRequirement::parse(bad, &error));
    CHECK_FALSE(error.empty());
  }
  std::string error;
  CHECK_FALSE(PluginRequirement::parse("@1.0", &error));
  CHECK(error.find("no plugin") != std::string::npos);
}

TEST_CASE("empty range alternatives and empty requirement ranges are refused", "[semver]") {
  std::string error;
  for (const char* bad : {"1.x ||", "|| 2.0.0", "||", "1.0.0 || || 2.0.0"}) {
    INFO(bad);
    CHECK_FALSE(migpkg::VersionRange::parse(bad, &error));
    CHECK(error.find("empty") != std::string::npos);
  }
  CHECK_FALSE(migpkg::PluginRequirement::parse("acme.crm@", &error));
  CHECK(error.find("no version range") != std::string::npos);
  CHECK(migpkg::PluginRequirement::parse("acme.crm@*", &error));
}
