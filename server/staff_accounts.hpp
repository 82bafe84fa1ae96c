// StaffAccounts: the staff accounts a hall manager makes on the admin page (/beheer) — create,
// reset the password, change the role and counters, disable and enable again. They live in the
// store's account table (EventStore::putStaffAccount), not in the event log: the event log is
// purged every night and is read by kiosks and displays, and an account is neither a day's fact
// nor theirs to see. Each change is written to the audit trail by the route (who, what, when —
// never the password or its hash). Only a PBKDF2 hash of the password is kept.
// The file's [[staff]] accounts (IT's break-glass accounts) and the directory's accounts are not
// here: the page shows them read-only. A name the file uses cannot be made here.
// Used by Auth (password check, and on every request whether the account still works) and the
// routes in api_staff.cpp. Its own lock; no HTTP here.
#pragma once

#include "event_store.hpp"
#include "server_config.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace loket::server {

class StaffAccounts {
public:
    static constexpr std::size_t kMinPasswordChars = 12;
    static constexpr std::size_t kMaxPasswordChars = 128;

    // `fileStaff`: the file's accounts, whose names stay theirs.
    StaffAccounts(EventStore& store, const std::vector<StaffConfig>& fileStaff, int hashIterations = 100000)
        : m_store(store), m_fileStaff(fileStaff), m_iterations(hashIterations) {}
    // Reads the accounts: at start-up, at each log-in and change, and when another instance on the same
    // store announces a change ("staff", EventStore::watchSharedChanges). Every change made here
    // is announced to them.
    Status load();

    struct Account {
        std::string username;
        Role role = Role::Counter;
        std::vector<std::string> counters;
        std::int64_t createdAt = 0;
        std::optional<std::int64_t> disabledAt;
        // A city (docs/locations.md): the locations it works at; empty = every location (and
        // always empty in a one-location hall). The route checks the ids; they are kept here.
        std::vector<std::string> locations = {};
    };
    // Errors name their field in details.field: username, password, role.
    Result<Account> create(const std::string& username, const std::string& password, const std::string& role,
                           std::vector<std::string> counters, std::int64_t now, std::vector<std::string> locations = {});
    Result<Account> resetPassword(const std::string& username, const std::string& password);
    // `locations`: nullopt keeps the account's locations.
    Result<Account> update(const std::string& username, const std::string& role, std::vector<std::string> counters,
                           std::optional<std::vector<std::string>> locations = std::nullopt);
    Result<Account> setDisabled(const std::string& username, bool disabled, std::int64_t now);

    // The account, enabled or not; nullopt when the page made no account of this name.
    std::optional<Account> find(const std::string& username);
    // The password check: the account when the password is right and the account is enabled.
    std::optional<Account> check(const std::string& username, const std::string& password);
    std::vector<Account> accounts();

private:
    struct Stored {
        Account account;
        std::string passwordHash;
    };
    Status save(const Stored& s);
    Result<Stored*> existing(const std::string& username);

    EventStore& m_store;
    const std::vector<StaffConfig>& m_fileStaff;
    int m_iterations;
    std::mutex m_mutex;
    std::map<std::string, Stored> m_accounts;
};

// The checks of the page's fields, shared by create and update: an error naming the field.
Status validateStaffUsername(const std::string& username);
Status validateStaffPassword(const std::string& password);
Result<Role> staffRoleOf(const std::string& role);

} // namespace loket::server
