package moleculer

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Level orders log levels as moleculer does (trace is not used here).
type Level int

const (
	LevelDebug Level = iota
	LevelInfo
	LevelWarn
	LevelError
	LevelFatal
	LevelOff
)

var levelNames = map[string]Level{"debug": LevelDebug, "trace": LevelDebug, "info": LevelInfo, "warn": LevelWarn, "error": LevelError, "fatal": LevelFatal, "false": LevelOff}

// LogLevels is LOGLEVEL as the Node nodes read it: "info", or a default
// and levels per module, "info,TRANSIT=warn,RECOMMENDATIONS=debug".
type LogLevels struct {
	Default Level
	Modules map[string]Level
}

func ParseLogLevels(spec string) LogLevels {
	l := LogLevels{Default: LevelInfo, Modules: map[string]Level{}}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if module, level, ok := strings.Cut(part, "="); ok {
			if lv, known := levelNames[strings.ToLower(level)]; known {
				l.Modules[strings.ToUpper(module)] = lv
			}
		} else if lv, known := levelNames[strings.ToLower(part)]; known {
			l.Default = lv
		}
	}
	return l
}

// Logger writes one line per entry: JSON (production) or a short text line.
type Logger struct {
	nodeID string
	levels LogLevels
	json   bool
	out    io.Writer
	mu     *sync.Mutex
	module string
	level  Level
}

func NewLogger(nodeID string, levels LogLevels, jsonLines bool) *Logger {
	return &Logger{nodeID: nodeID, levels: levels, json: jsonLines, out: os.Stdout, mu: &sync.Mutex{}, module: "BROKER", level: levels.Default}
}

// Module is a logger for one part of the node (BROKER, TRANSIT, REGISTRY, ...).
func (l *Logger) Module(name string) *Logger {
	m := *l
	m.module = strings.ToUpper(name)
	m.level = l.levels.Default
	if lv, ok := l.levels.Modules[m.module]; ok {
		m.level = lv
	}
	return &m
}

func (l *Logger) log(level Level, name string, format string, args []any) {
	if level < l.level {
		return
	}
	msg := fmt.Sprintf(format, args...)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.json {
		line, _ := json.Marshal(map[string]any{"ts": now.UTC().Format("2006-01-02T15:04:05.000Z"), "level": name, "nodeID": l.nodeID, "mod": strings.ToLower(l.module), "msg": msg})
		fmt.Fprintln(l.out, string(line))
		return
	}
	fmt.Fprintf(l.out, "[%s] %-5s %s/%s: %s\n", now.Format("2006-01-02T15:04:05.000Z07:00"), strings.ToUpper(name), l.nodeID, l.module, msg)
}

func (l *Logger) Debugf(format string, args ...any) { l.log(LevelDebug, "debug", format, args) }
func (l *Logger) Infof(format string, args ...any)  { l.log(LevelInfo, "info", format, args) }
func (l *Logger) Warnf(format string, args ...any)  { l.log(LevelWarn, "warn", format, args) }
func (l *Logger) Errorf(format string, args ...any) { l.log(LevelError, "error", format, args) }
