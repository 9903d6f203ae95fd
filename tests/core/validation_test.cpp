#include "core/validation.hpp"

#include <gtest/gtest.h>

namespace herald {
namespace {

TEST(Validation, Usernames) {
  EXPECT_FALSE(check_username("alice"));
  EXPECT_FALSE(check_username("a.b_c-9"));
  EXPECT_TRUE(check_username(""));
  EXPECT_TRUE(check_username("Alice"));
  EXPECT_TRUE(check_username(".alice"));
  EXPECT_TRUE(check_username("al ice"));
  EXPECT_TRUE(check_username(std::string(65, 'a')));
}

TEST(Validation, Emails) {
  EXPECT_FALSE(check_email("a@example.org"));
  EXPECT_TRUE(check_email("a@b"));
  EXPECT_TRUE(check_email("@example.org"));
  EXPECT_TRUE(check_email("a@@example.org"));
  EXPECT_TRUE(check_email("a b@example.org"));
}

TEST(Validation, DisplayNamesRefuseControlCharactersAndBadUtf8) {
  EXPECT_FALSE(check_display_name("\xC3\x89lodie Durand"));
  EXPECT_TRUE(check_display_name(""));
  EXPECT_TRUE(check_display_name("line\nbreak"));
  EXPECT_TRUE(check_display_name("bad \xFF byte"));
  EXPECT_TRUE(check_display_name(std::string(201, 'x')));
}

TEST(Validation, Passwords) {
  EXPECT_TRUE(check_password("short"));
  EXPECT_FALSE(check_password("long enough"));
  EXPECT_TRUE(check_password(std::string(1025, 'x')));
}

}  // namespace
}  // namespace herald
