// Tickets for live sessions: single use, short-lived, bounded.
#include <gtest/gtest.h>

#include "core/live_tickets.hpp"

namespace herald {
namespace {

Principal ann() {
  Principal principal;
  principal.user_id = 7;
  principal.username = "ann";
  return principal;
}

TEST(LiveTickets, RedeemsOnce) {
  LiveTickets tickets;
  auto issued = tickets.issue(ann(), 1000);
  ASSERT_TRUE(issued);
  EXPECT_EQ(issued->expires_at, 1000 + LiveTickets::kLifetimeMs);
  auto holder = tickets.redeem(issued->ticket, 2000);
  ASSERT_TRUE(holder);
  EXPECT_EQ(holder->user_id, 7);
  EXPECT_FALSE(tickets.redeem(issued->ticket, 2000));
}

TEST(LiveTickets, ExpireAfterTheirLifetime) {
  LiveTickets tickets;
  auto issued = tickets.issue(ann(), 1000);
  ASSERT_TRUE(issued);
  EXPECT_FALSE(tickets.redeem(issued->ticket, 1000 + LiveTickets::kLifetimeMs));
}

TEST(LiveTickets, UnknownTicketsAreRefused) {
  LiveTickets tickets;
  EXPECT_FALSE(tickets.redeem("", 0));
  EXPECT_FALSE(tickets.redeem("made-up", 0));
  EXPECT_FALSE(tickets.redeem(std::string(1000, 'x'), 0));
}

TEST(LiveTickets, TicketsAreDistinct) {
  LiveTickets tickets;
  auto a = tickets.issue(ann(), 0);
  auto b = tickets.issue(ann(), 0);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->ticket, b->ticket);
  EXPECT_GE(a->ticket.size(), 32u);
}

}  // namespace
}  // namespace herald
