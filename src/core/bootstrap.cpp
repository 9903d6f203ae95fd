#include "core/bootstrap.hpp"

#include <stdexcept>

#include "common/crypto.hpp"
#include "core/password_hasher.hpp"
#include "store/store.hpp"

namespace herald {
namespace {

template <class T>
T expect(Result<T> result, const char* what) {
  if (!result) throw std::runtime_error(std::string(what) + ": " + result.error().message);
  return std::move(result).value();
}

void expect(const Result<void>& result, const char* what) {
  if (!result) throw std::runtime_error(std::string(what) + ": " + result.error().message);
}

}  // namespace

FirstAdmin ensure_first_admin(Store& store, PasswordHasher& hasher,
                              const std::optional<std::string>& password) {
  FirstAdmin outcome;
  if (store.count_users() > 0) return outcome;
  std::string secret = password.value_or("");
  if (secret.empty()) {
    secret = random_token(18);
    outcome.generated_password = secret;
  }
  NewUser admin{"admin", "Administrator", std::nullopt, Role::admin, hasher.hash(secret)};
  expect(store.create_user(admin), "cannot create the first admin");
  outcome.created = true;
  return outcome;
}

std::vector<DemoAccount> seed_demo(Store& store, PasswordHasher& hasher) {
  std::vector<DemoAccount> created;
  if (store.find_credentials("sam")) return created;

  struct Person {
    const char* username;
    const char* display_name;
    const char* email;
    Role role;
  };
  const Person people[] = {
      {"sam", "Sam Sender", "sam@example.org", Role::sender},
      {"alice", "Alice Martin", "alice@example.org", Role::user},
      {"bob", "Bob Dupont", "bob@example.org", Role::user},
      {"carol", "Carol Lefevre", "carol@example.org", Role::user},
      {"dave", "Dave Moreau", nullptr, Role::user},
  };
  const std::string password = "demo-password";
  const std::string hash = hasher.hash(password);
  std::vector<Id> ids;
  for (const Person& person : people) {
    NewUser user{person.username, person.display_name,
                 person.email ? std::optional<std::string>(person.email) : std::nullopt,
                 person.role, hash};
    ids.push_back(expect(store.create_user(user), "cannot seed a demo user").id);
    created.push_back({person.username, password, role_name(person.role)});
  }
  Group pupils = expect(store.create_group({"Class 5A", "Pupils of class 5A"}), "demo group");
  Group staff = expect(store.create_group({"Staff", "Teachers and staff"}), "demo group");
  for (Id member : {ids[1], ids[2], ids[4]}) {
    expect(store.add_member(pupils.id, member), "demo membership");
  }
  for (Id member : {ids[0], ids[3]}) expect(store.add_member(staff.id, member), "demo membership");
  return created;
}

}  // namespace herald
