#if canImport(Glibc)
import Glibc
#endif

/// CPU seconds used so far by this process and by its finished children (wrk), from
/// getrusage: unlike requests/s, CPU per request barely moves when other processes load
/// the machine.
struct CPUTime {
    var process: Double
    var children: Double

    static func now() -> CPUTime {
        CPUTime(process: seconds(RUSAGE_SELF.rawValue), children: seconds(RUSAGE_CHILDREN.rawValue))
    }

    private static func seconds(_ who: Int32) -> Double {
        var usage = rusage()
        getrusage(who, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    static func - (lhs: CPUTime, rhs: CPUTime) -> CPUTime {
        CPUTime(process: lhs.process - rhs.process, children: lhs.children - rhs.children)
    }
}
