package io.snowpiperelay.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Process-level meters for one measured phase: CPU time of this JVM (Java threads, GC and the SDK's native
 * threads alike, via {@code OperatingSystemMXBean.getProcessCpuTime}) and the peak heap.
 *
 * <p>The peak heap is the sum of the heap pools' peak usages since {@link #start()}; pools peak at different
 * moments, so the figure is an upper bound of the real peak. Not thread-safe: one phase at a time.
 */
final class ResourceMeter {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isValid())
            .toList();

    private final List<java.lang.management.GarbageCollectorMXBean> collectors =
            ManagementFactory.getGarbageCollectorMXBeans();

    private long startCpuNanos;
    private ThreadCpu startThreads;
    private long startGcMillis;
    private long startWallNanos;

    /** Collects garbage left by earlier phases, resets the peaks, and starts the clocks. */
    void start() {
        System.gc();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        startThreads = ThreadCpu.snapshot();
        startCpuNanos = os.getProcessCpuTime();
        startGcMillis = gcMillis();
        startWallNanos = System.nanoTime();
    }

    /** When {@link #start()} was called, on the {@link System#nanoTime()} scale. */
    long startWallNanos() {
        return startWallNanos;
    }

    /** CPU time this process used since {@link #start()}, in nanoseconds. */
    long cpuNanosSinceStart() {
        return os.getProcessCpuTime() - startCpuNanos;
    }

    /** CPU ns per thread group (name without digits) since {@link #start()}, largest first; Linux only. */
    java.util.Map<String, Long> cpuByThreadGroupSinceStart() {
        return ThreadCpu.snapshot().since(startThreads);
    }

    /** Time the garbage collectors reported since {@link #start()} (pauses and, for some, concurrent work), ms. */
    long gcMillisSinceStart() {
        return gcMillis() - startGcMillis;
    }

    private long gcMillis() {
        long sum = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : collectors) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** The heap pools' summed peak usage since {@link #start()}, in bytes. */
    long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    /** The JVM's maximum heap ({@code -Xmx}), in bytes, or -1 when undefined. */
    static long maxHeapBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }
}
