package moleculer

import (
	"sort"
	"sync"
	"time"
)

// RemoteNode is another node of the cluster as its INFO described it.
type RemoteNode struct {
	ID            string
	InstanceID    string
	Client        Client
	Seq           int64
	Services      []ServiceInfo
	Available     bool
	LastHeartbeat time.Time
}

// Registry keeps the remote nodes, the actions and events they offer, and
// drops a node that stays silent longer than the heartbeat timeout.
type Registry struct {
	mu     sync.Mutex
	nodes  map[string]*RemoteNode
	rr     map[string]int // round-robin position per action / event group
	now    func() time.Time
	onDrop func(nodeID string)
}

func NewRegistry(onDrop func(nodeID string)) *Registry {
	return &Registry{nodes: map[string]*RemoteNode{}, rr: map[string]int{}, now: time.Now, onDrop: onDrop}
}

// ProcessInfo adds or refreshes a node from its INFO. A node that sends an
// empty service list (it is stopping) stays known but offers nothing.
func (r *Registry) ProcessInfo(info *Info) (isNew bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n, ok := r.nodes[info.Sender]
	if !ok {
		n = &RemoteNode{ID: info.Sender}
		r.nodes[info.Sender] = n
	}
	isNew = !ok || !n.Available
	n.InstanceID = info.InstanceID
	n.Client = info.Client
	n.Seq = info.Seq
	n.Services = info.Services
	n.Available = true
	n.LastHeartbeat = r.now()
	return isNew
}

// Heartbeat records a sign of life. It answers false when the node is unknown
// or was dropped: the caller then asks it for a fresh INFO (DISCOVER).
func (r *Registry) Heartbeat(nodeID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	n, ok := r.nodes[nodeID]
	if !ok || !n.Available {
		return false
	}
	n.LastHeartbeat = r.now()
	return true
}

// Disconnected forgets a node that said goodbye (DISCONNECT).
func (r *Registry) Disconnected(nodeID string) {
	r.mu.Lock()
	_, known := r.nodes[nodeID]
	delete(r.nodes, nodeID)
	r.mu.Unlock()
	if known && r.onDrop != nil {
		r.onDrop(nodeID)
	}
}

// CheckHeartbeats marks nodes silent for longer than timeout unavailable.
func (r *Registry) CheckHeartbeats(timeout time.Duration) []string {
	r.mu.Lock()
	var dropped []string
	now := r.now()
	for id, n := range r.nodes {
		if n.Available && now.Sub(n.LastHeartbeat) > timeout {
			n.Available = false
			dropped = append(dropped, id)
		}
	}
	r.mu.Unlock()
	for _, id := range dropped {
		if r.onDrop != nil {
			r.onDrop(id)
		}
	}
	return dropped
}

// Nodes lists the known nodes, sorted by id.
func (r *Registry) Nodes() []RemoteNode {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]RemoteNode, 0, len(r.nodes))
	for _, n := range r.nodes {
		out = append(out, *n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// actionNodes: available nodes offering an action, sorted for a stable rotation.
func (r *Registry) actionNodes(action string) []string {
	var ids []string
	for id, n := range r.nodes {
		if !n.Available {
			continue
		}
		for _, s := range n.Services {
			if _, ok := s.Actions[action]; ok {
				ids = append(ids, id)
				break
			}
		}
	}
	sort.Strings(ids)
	return ids
}

// HasAction reports whether some available node offers the action.
func (r *Registry) HasAction(action string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.actionNodes(action)) > 0
}

// HasService reports whether some available node runs the service.
func (r *Registry) HasService(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.nodes {
		if !n.Available {
			continue
		}
		for _, s := range n.Services {
			if s.Name == name {
				return true
			}
		}
	}
	return false
}

// PickActionNode chooses the next node for an action, round robin, skipping
// the nodes in exclude (those that already failed this call).
func (r *Registry) PickActionNode(action string, exclude map[string]bool) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for _, id := range r.actionNodes(action) {
		if !exclude[id] {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return "", false
	}
	i := r.rr[action] % len(ids)
	r.rr[action]++
	return ids[i], true
}

// EventTargets balances an emitted event: one node per listening group,
// round robin within the group; the groups are then bundled per node, so
// each node gets one EVENT packet naming the groups it handles.
func (r *Registry) EventTargets(event string) map[string][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	byGroup := map[string][]string{}
	for id, n := range r.nodes {
		if !n.Available {
			continue
		}
		for _, s := range n.Services {
			if e, ok := s.Events[event]; ok {
				group := e.Group
				if group == "" {
					group = s.Name
				}
				byGroup[group] = append(byGroup[group], id)
			}
		}
	}
	targets := map[string][]string{}
	for group, ids := range byGroup {
		sort.Strings(ids)
		key := "event:" + event + ":" + group
		id := ids[r.rr[key]%len(ids)]
		r.rr[key]++
		targets[id] = append(targets[id], group)
	}
	for _, groups := range targets {
		sort.Strings(groups)
	}
	return targets
}

// EventNodes lists every available node with a listener for the event.
func (r *Registry) EventNodes(event string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for id, n := range r.nodes {
		if !n.Available {
			continue
		}
		for _, s := range n.Services {
			if _, ok := s.Events[event]; ok {
				ids = append(ids, id)
				break
			}
		}
	}
	sort.Strings(ids)
	return ids
}

// actionNodesLocked is actionNodes for callers outside the lock (tests).
func (r *Registry) actionNodesLocked(action string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.actionNodes(action)
}
