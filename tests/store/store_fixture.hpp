// The store test suite runs against every Store implementation through this factory list.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "support/herald_process.hpp"

namespace herald::test {

struct StoreFactory {
  std::string name;
  // Opens a store whose data lives in `dir` (a fresh folder).
  std::function<std::unique_ptr<Store>(const std::filesystem::path& dir)> open;
};

// Test names print the store's name, not the object's bytes.
inline void PrintTo(const StoreFactory& factory, std::ostream* out) {
  *out << factory.name;
}

// Every Store implementation built here; each suite runs against all of them with
//   INSTANTIATE_TEST_SUITE_P(Stores, Suite, ::testing::ValuesIn(store_factories()), store_name);
inline std::vector<StoreFactory> store_factories() {
  return {StoreFactory{"sqlite", [](const std::filesystem::path& dir) {
                         return open_store({"", dir.string(), 2});
                       }}};
}

inline std::string store_name(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

}  // namespace herald::test
