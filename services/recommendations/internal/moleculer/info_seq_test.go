package moleculer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// Moleculer's rule for INFO packets (registry/node.js update): a node's INFO
// is taken only when its seq (a missing one reads as 1) is above the last one
// seen, or its instanceID changed. So every INFO that changes what a node
// offers must carry a higher seq than every INFO sent before it, or the
// cluster keeps the older offer: a Go node answering a DISCOVER during its
// start with no services and seq 0 was never routed to (issue #26).

type infoSeen struct {
	When     string   `json:"when"`
	Seq      int64    `json:"seq"`
	Services []string `json:"services"`
}

// moleculerView is what a Node broker's registry keeps of a node from its INFOs.
type moleculerView struct {
	seq        int64
	instanceID string
	services   []string
}

func (v *moleculerView) update(info *Info) {
	seq := info.Seq
	if seq == 0 {
		seq = 1 // payload.seq || 1
	}
	if seq > v.seq || info.InstanceID != v.instanceID {
		v.seq, v.instanceID, v.services = seq, info.InstanceID, serviceNames(info)
	}
}

func serviceNames(info *Info) []string {
	names := []string{}
	for _, s := range info.Services {
		names = append(names, s.Name)
	}
	return names
}

func TestEveryInfoThatChangesTheOfferHasAHigherSeq(t *testing.T) {
	url := startNats(t)
	observer, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer observer.Close()

	var mu sync.Mutex
	var infos []*Info
	record := func(m *nats.Msg) {
		p, err := Decode(PacketInfo, m.Data)
		if err != nil {
			t.Errorf("undecodable INFO: %v", err)
			return
		}
		mu.Lock()
		infos = append(infos, p.(*Info))
		mu.Unlock()
	}
	// One subscription for both INFO subjects: nats.go delivers each
	// subscription on its own goroutine, so two could reorder what the node sent.
	if _, err := observer.Subscribe("MOL-gotest.>", func(m *nats.Msg) {
		if m.Subject == "MOL-gotest.INFO" || m.Subject == "MOL-gotest.INFO.observer" {
			record(m)
		}
	}); err != nil {
		t.Fatal(err)
	}
	// A Node broker starting at the same moment asks for INFO while the Go node
	// is still inside Start: keep asking until Start returns.
	discover, err := Encode("observer", &Discover{})
	if err != nil {
		t.Fatal(err)
	}
	starting := make(chan struct{})
	go func() {
		for {
			select {
			case <-starting:
				return
			default:
				_ = observer.Publish("MOL-gotest.DISCOVER", discover)
				time.Sleep(20 * time.Millisecond)
			}
		}
	}()
	b := testBroker(t, url, "go-seq", greeter("go-seq", nil, new(int64)))
	close(starting)
	_ = observer.Flush()
	b.Stop()
	_ = observer.Flush()
	time.Sleep(100 * time.Millisecond)

	mu.Lock()
	defer mu.Unlock()
	// What a Node registry takes, in order: each INFO it accepts by the rule.
	// An answer to a DISCOVER built just before Stop may still go out after
	// Stop's INFO; its older seq makes the registry ignore it, as it should.
	var seen []infoSeen
	view := &moleculerView{}
	offers := map[int64][]string{}
	for _, info := range infos {
		if earlier, ok := offers[info.Seq]; ok && !reflect.DeepEqual(earlier, serviceNames(info)) {
			t.Errorf("seq %d sent with services %v and with %v", info.Seq, earlier, serviceNames(info))
		}
		offers[info.Seq] = serviceNames(info)
		before := view.seq
		view.update(info)
		if view.seq != before {
			seen = append(seen, infoSeen{Seq: view.seq, Services: view.services})
		}
	}

	var golden []infoSeen
	data, err := os.ReadFile(filepath.Join("testdata", "info-lifecycle.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	for i := range golden {
		golden[i].When = ""
	}
	if !reflect.DeepEqual(seen, golden) {
		t.Errorf("INFO packets over the node's life:\n got  %+v\n want %+v (testdata/info-lifecycle.json)", seen, golden)
	}
	if len(view.services) != 0 || view.seq != 3 {
		t.Errorf("a Node registry applying the rule ends with seq %d and services %v; want 3 and none", view.seq, view.services)
	}
}

// The same rule seen from a registry that heard the pre-start answer: the
// announcement that follows must replace it.
func TestTheAnnouncementAfterAnEarlyAnswerIsTaken(t *testing.T) {
	b := NewBroker(Options{NodeID: "go-early"})
	b.AddService(&Service{Name: "recommendations"})
	view := &moleculerView{}
	view.update(b.localInfo()) // answering a DISCOVER during Start
	b.changeOffer(func() { b.started.Store(true) })
	view.update(b.localInfo())
	if !reflect.DeepEqual(view.services, []string{"recommendations"}) {
		t.Errorf("after the announcement a Node registry lists %v (seq %d)", view.services, view.seq)
	}
}
