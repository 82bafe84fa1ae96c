#include "staff_accounts.hpp"

#include "crypto.hpp"

#include <algorithm>

namespace loket::server {
using namespace loket::core;

namespace {

Error fieldError(ErrorCode code, const std::string& field, const std::string& message) {
    Error e = makeError(code, message);
    e.details.field = field;
    return e;
}

} // namespace

Status validateStaffUsername(const std::string& username) {
    if (username.size() < 2 || username.size() > 64 ||
        username.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos)
        return fieldError(ErrorCode::InvalidValue, "username",
                          "A user name is 2 to 64 characters: small letters, digits, dot, hyphen or underscore.");
    return Ok{};
}

Status validateStaffPassword(const std::string& password) {
    if (password.size() < StaffAccounts::kMinPasswordChars || password.size() > StaffAccounts::kMaxPasswordChars)
        return fieldError(ErrorCode::InvalidValue, "password",
                          "A password is " + std::to_string(StaffAccounts::kMinPasswordChars) + " to " +
                              std::to_string(StaffAccounts::kMaxPasswordChars) + " characters.");
    return Ok{};
}

Result<Role> staffRoleOf(const std::string& role) {
    const auto& roles = staffRolesByPower();
    if (std::find(roles.begin(), roles.end(), role) == roles.end()) {
        std::string list;
        for (const auto& r : roles) list += (list.empty() ? "" : ", ") + r;
        return fieldError(ErrorCode::InvalidValue, "role", "The role must be one of: " + list + ".");
    }
    return staffRoleFromName(role);
}

Status StaffAccounts::load() {
    auto rows = m_store.staffAccounts();
    if (!rows) return rows.error();
    std::lock_guard lock(m_mutex);
    m_accounts.clear();
    for (auto& r : *rows)
        m_accounts[r.username] = Stored{Account{r.username, staffRoleFromName(r.role), r.counters, r.createdAt, r.disabledAt, r.locations}, r.passwordHash};
    return Ok{};
}

Status StaffAccounts::save(const Stored& s) {
    auto st = m_store.putStaffAccount(StaffAccountRecord{s.account.username, s.passwordHash, roleName(s.account.role), s.account.counters,
                                                      s.account.createdAt, s.account.disabledAt, s.account.locations});
    if (st) m_store.announceSharedChange("staff"); // the other instances re-read (load)
    return st;
}

Result<StaffAccounts::Stored*> StaffAccounts::existing(const std::string& username) {
    auto it = m_accounts.find(username);
    if (it == m_accounts.end())
        return fieldError(ErrorCode::NotFound, "username", "There is no account '" + username + "' made on this page.");
    return &it->second;
}

Result<StaffAccounts::Account> StaffAccounts::create(const std::string& username, const std::string& password, const std::string& role,
                                                     std::vector<std::string> counters, std::int64_t now, std::vector<std::string> locations) {
    if (auto st = validateStaffUsername(username); !st) return st.error();
    auto r = staffRoleOf(role);
    if (!r) return r.error();
    if (auto st = validateStaffPassword(password); !st) return st.error();
    if (std::any_of(m_fileStaff.begin(), m_fileStaff.end(), [&](const StaffConfig& s) { return s.username == username; }))
        return fieldError(ErrorCode::InvalidValue, "username", "The configuration file already has an account '" + username + "'.");
    Stored s{Account{username, *r, *r == Role::Admin ? std::vector<std::string>{"*"} : std::move(counters), now, std::nullopt, std::move(locations)},
             hashPassword(password, m_iterations)};
    // Taken or not is the store's to say, in the one statement that inserts (its key on the name):
    // two instances making one name at the same instant get one account, and the other manager
    // an error — never a check here and a write after it, which both could pass.
    auto added = m_store.addStaffAccount(StaffAccountRecord{s.account.username, s.passwordHash, roleName(s.account.role), s.account.counters,
                                                            s.account.createdAt, s.account.disabledAt, s.account.locations});
    if (!added) return added.error();
    if (!*added) {
        (void)load(); // the account that is there, for the page's list
        return fieldError(ErrorCode::AlreadyExists, "username", "There already is an account '" + username + "'.");
    }
    m_store.announceSharedChange("staff"); // the other instances re-read (load)
    std::lock_guard lock(m_mutex);
    m_accounts[username] = s;
    return s.account;
}

Result<StaffAccounts::Account> StaffAccounts::resetPassword(const std::string& username, const std::string& password) {
    if (auto st = validateStaffPassword(password); !st) return st.error();
    std::string hash = hashPassword(password, m_iterations);
    if (auto st = load(); !st) return st.error(); // changed from the store's row, not an older copy
    std::lock_guard lock(m_mutex);
    auto s = existing(username);
    if (!s) return s.error();
    Stored next = **s;
    next.passwordHash = std::move(hash);
    if (auto st = save(next); !st) return st.error();
    **s = std::move(next);
    return (*s)->account;
}

Result<StaffAccounts::Account> StaffAccounts::update(const std::string& username, const std::string& role, std::vector<std::string> counters,
                                                     std::optional<std::vector<std::string>> locations) {
    auto r = staffRoleOf(role);
    if (!r) return r.error();
    if (auto st = load(); !st) return st.error(); // changed from the store's row, not an older copy
    std::lock_guard lock(m_mutex);
    auto s = existing(username);
    if (!s) return s.error();
    Stored next = **s;
    next.account.role = *r;
    next.account.counters = *r == Role::Admin ? std::vector<std::string>{"*"} : std::move(counters);
    if (locations) next.account.locations = std::move(*locations);
    if (auto st = save(next); !st) return st.error();
    **s = std::move(next);
    return (*s)->account;
}

Result<StaffAccounts::Account> StaffAccounts::setDisabled(const std::string& username, bool disabled, std::int64_t now) {
    if (auto st = load(); !st) return st.error(); // changed from the store's row, not an older copy
    std::lock_guard lock(m_mutex);
    auto s = existing(username);
    if (!s) return s.error();
    Stored next = **s;
    next.account.disabledAt = disabled ? std::optional<std::int64_t>(next.account.disabledAt.value_or(now)) : std::nullopt;
    if (auto st = save(next); !st) return st.error();
    **s = std::move(next);
    return (*s)->account;
}

std::optional<StaffAccounts::Account> StaffAccounts::find(const std::string& username) {
    std::lock_guard lock(m_mutex);
    auto it = m_accounts.find(username);
    if (it == m_accounts.end()) return std::nullopt;
    return it->second.account;
}

std::optional<StaffAccounts::Account> StaffAccounts::check(const std::string& username, const std::string& password) {
    // A log-in reads the accounts again: made, reset or disabled on another instance a moment
    // ago counts now, not when its announcement arrives. (Log-ins are few; requests use the copy.)
    if (auto st = load(); !st) return std::nullopt;
    std::string hash;
    std::optional<Account> account;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_accounts.find(username);
        if (it == m_accounts.end()) return std::nullopt;
        hash = it->second.passwordHash;
        account = it->second.account;
    }
    // Verified outside the lock (PBKDF2 takes a while); a disabled account never logs in.
    if (!verifyPassword(password, hash) || account->disabledAt) return std::nullopt;
    return account;
}

std::vector<StaffAccounts::Account> StaffAccounts::accounts() {
    std::lock_guard lock(m_mutex);
    std::vector<Account> out;
    for (const auto& [name, s] : m_accounts) out.push_back(s.account);
    return out;
}

} // namespace loket::server
