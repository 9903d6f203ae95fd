// Row helpers about users, shared by the SQLite files that take a user id from a caller.
#pragma once

#include "core/model.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace herald::sqlite {

// Whether the user exists and is not deleted.
bool user_exists(Connection& c, Id user);

}  // namespace herald::sqlite
