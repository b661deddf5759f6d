package moleculer

import (
	"os"
	"strconv"
	"strings"
	"sync"
)

// cpuMeter is the machine's CPU use since the last reading, in percent, the
// figure moleculer puts in HEARTBEAT (from /proc/stat; 0 where it is missing).
type cpuMeter struct {
	mu          sync.Mutex
	idle, total uint64
}

func (m *cpuMeter) percent() float64 {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	if len(fields) < 5 || fields[0] != "cpu" {
		return 0
	}
	var idle, total uint64
	for i, f := range fields[1:] {
		v, _ := strconv.ParseUint(f, 10, 64)
		total += v
		if i == 3 || i == 4 { // idle, iowait
			idle += v
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	dIdle, dTotal := idle-m.idle, total-m.total
	m.idle, m.total = idle, total
	if dTotal == 0 {
		return 0
	}
	return float64(int(1000*(1-float64(dIdle)/float64(dTotal)))) / 10
}
