// loket-bench-prediction: one round of what the server's prediction refresher computes
// (server/wait_predictor.cpp: core::predictNewWalkIn for every service, then core::predictWaits)
// over a hall like the example one (8 services, 6 counters, the norm policy) with N walk-ins
// waiting, repeated R times. Prints the CPU time per round and a checksum of every estimate (it
// must not change when the forward run is made cheaper). For instruction counts run it under
// `valgrind --tool=callgrind`. Usage: loket-bench-prediction [waiting N, 300] [rounds R, 2]
#include "shared/core/command_handler.hpp"
#include "shared/core/wait_prediction.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

using namespace loket::core;

int main(int argc, char** argv) {
    const int waiting = argc > 1 ? std::atoi(argv[1]) : 300;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 2;
    HallConfig config;
    config.name = "bench";
    const char* ids[] = {"paspoort", "ophalen", "rijbewijs", "verhuizing", "uittreksel", "geboorte", "huwelijk", "overig"};
    const Seconds duration[] = {600, 210, 420, 480, 240, 900, 1500, 300};
    const Seconds target[] = {900, 600, 900, 900, 600, 900, 600, 600};
    for (int i = 0; i < 8; ++i) {
        ServiceConfig s;
        s.id = ids[i];
        s.name = {{"nl", ids[i]}};
        s.prefix = static_cast<char>('A' + i);
        s.expectedDurationS = duration[i];
        s.walkInTargetS = target[i];
        config.services.push_back(s);
    }
    const ServiceMask front = 0xff & ~bit(6);
    config.counters = {{"b1", "1", front}, {"b2", "2", front}, {"b3", "3", front | bit(6)},
                       {"b4", "4", bit(0) | bit(2)}, {"b5", "5", bit(1) | bit(4) | bit(7)}, {"b6", "6", front}};
    config.hours.alwaysOpen = true;
    config.walkInHours.alwaysOpen = true;
    config.normS = 300;
    config.policy = PolicyKind::Norm;
    HallState state(config);
    LocalDay day = 0;
    parseDate("2026-11-23", day);
    const Now now{instantOf(day, 9 * 3600, 3600), 3600};
    for (int i = 0; i < waiting; ++i) {
        auto r = execute(state, IssueWalkIn{ids[i % 7 == 6 ? 7 : i % 7], "nl", "p" + std::to_string(i)}, now);
        if (!r) { std::fprintf(stderr, "check-in failed: %s\n", r.error().message.c_str()); return 1; }
    }
    long long checksum = 0;
    const std::clock_t start = std::clock();
    for (int round = 0; round < rounds; ++round) {
        for (std::size_t s = 0; s < config.services.size(); ++s)
            if (auto e = predictNewWalkIn(state, now.t, static_cast<ServiceIndex>(s))) checksum += e->waitS + e->position;
        for (const auto& [id, e] : predictWaits(state, now.t).tickets) checksum += (e.waitS + e.position) * id;
    }
    const double ms = 1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC / rounds;
    std::printf("loket-bench-prediction: %d waiting, %d rounds: %.2f ms CPU per round, checksum %lld\n", waiting, rounds, ms, checksum);
    return 0;
}
