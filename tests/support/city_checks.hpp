// City checks: the isolation between two locations of firmware-config/city.example.toml —
// "stadhuis" (A) and "noord" (B) — for every role, through real servers. `forA` serves A's
// credentials and `forB` B's: the same server twice on SQLite (tests/server/locations_test.cpp),
// two instances on one PostgreSQL database (tests/postgres/locations_test.cpp). Each check
// starts from empty queues.
#pragma once

#include "server_process.hpp"

#include <filesystem>
#include <string>

namespace loket::test {

std::filesystem::path cityConfig();
// Logs `user` (password demo-demo-demo) in at `location` ("" = none given); fails the test unless 200.
std::string loginAt(const ServerProcess& server, const std::string& user, const std::string& location);

// Kiosks: each checks in at its own location only, with its own services and numbering.
void checkKioskIsolation(const ServerProcess& forA, const ServerProcess& forB);
// Displays: each one's snapshot and event stream show its own location only.
void checkDisplayIsolation(const ServerProcess& forA, const ServerProcess& forB);
// Counter staff: log-in chooses a location the account works at; counters, queue and events are
// that location's; calling at A never takes B's visitor.
void checkCounterIsolation(const ServerProcess& forA, const ServerProcess& forB);
// Managers and admin integrations: tickets, configuration, enrolled devices and the city view
// are limited to their locations; a visitor's code finds its own location's ticket.
void checkManagerIsolation(const ServerProcess& forA, const ServerProcess& forB);
// The host at the door: its walk-ins, door answers, hall view and print jobs are its location's;
// a kiosk takes only its own location's print jobs.
void checkHostIsolation(const ServerProcess& forA, const ServerProcess& forB);
// Staff accounts made on /beheer: the city's table; a manager sees and changes the accounts of
// the session's location only, and gives an account only locations the manager works at. One
// instance: an instance reads the page's accounts at start-up (docs/locations.md).
void checkStaffAccountIsolation(const ServerProcess& server);

} // namespace loket::test
