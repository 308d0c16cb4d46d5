package autograd

import (
	"fmt"
	"slices"
	"sync"
)

// OpInfo describes a registered op. The registry exists so that tests can
// enumerate every op and fail if one has no gradient check, and so that a
// tape refuses records under names nobody registered.
type OpInfo struct {
	Name string
	Doc  string // one line: what the op computes
}

var (
	regMu    sync.RWMutex
	registry = map[string]OpInfo{}
)

// Register adds an op name; ops packages call it from init. Registering a
// name twice panics.
func Register(name, doc string) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[name]; dup {
		panic(fmt.Sprintf("autograd.Register: op %q registered twice", name))
	}
	registry[name] = OpInfo{Name: name, Doc: doc}
}

// Ops lists every registered op, sorted by name.
func Ops() []OpInfo {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]OpInfo, 0, len(registry))
	for _, o := range registry {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b OpInfo) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out
}

func registered(name string) bool {
	regMu.RLock()
	defer regMu.RUnlock()
	_, ok := registry[name]
	return ok
}
