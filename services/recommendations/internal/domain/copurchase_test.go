package domain

import (
	"encoding/json"
	"reflect"
	"testing"
)

func ids(r []Ranked) []string {
	out := []string{}
	for _, x := range r {
		out = append(out, x.ProductID)
	}
	return out
}

func TestMostFrequentlyBoughtTogetherFirst(t *testing.T) {
	c := NewCoPurchases()
	c.Learn(Purchase{EventID: "1", ProductIDs: []string{"a", "b", "c"}})
	c.Learn(Purchase{EventID: "2", ProductIDs: []string{"a", "c"}})
	c.Learn(Purchase{EventID: "3", ProductIDs: []string{"a", "d", "c"}})
	c.Learn(Purchase{EventID: "4", ProductIDs: []string{"b", "d"}})
	if got := ids(c.BoughtWith("a", 8)); !reflect.DeepEqual(got, []string{"c", "b", "d"}) {
		t.Errorf("a: %v (c in 3 orders, then b and d in 1, by id)", got)
	}
	if got := c.BoughtWith("a", 1); len(got) != 1 || got[0].ProductID != "c" || got[0].Orders != 3 {
		t.Errorf("limit 1: %v", got)
	}
	if got := c.BoughtWith("z", 8); len(got) != 0 {
		t.Errorf("unknown product: %v", got)
	}
}

func TestAnOrderCountsOnce(t *testing.T) {
	c := NewCoPurchases()
	p := Purchase{EventID: "o1:order.confirmed", OrderID: "o1", ProductIDs: []string{"a", "b", "b", "a"}}
	if !c.Learn(p) || c.Learn(p) {
		t.Fatal("the second delivery of an event is ignored")
	}
	if !c.Knows(p) || c.Orders() != 1 {
		t.Errorf("orders: %d", c.Orders())
	}
	if got := c.BoughtWith("a", 8); len(got) != 1 || got[0].Orders != 1 {
		t.Errorf("a product twice in an order is one co-purchase: %v", got)
	}
	c.Learn(Purchase{EventID: "2", ProductIDs: []string{"a"}})
	if got := c.BoughtWith("a", 8); got[0].Orders != 1 {
		t.Errorf("a single-product order pairs with nothing: %v", got)
	}
}

func TestParams(t *testing.T) {
	id := "0123456789abcdef01234567"
	ok := []struct {
		raw   string
		limit int
	}{
		{`{"productId":"` + id + `"}`, DefaultLimit},
		{`{"productId":"` + id + `","limit":8}`, 8},
		{`{"productId":"` + id + `","limit":"2"}`, 2},
		{`{"productId":"` + id + `","limit":1,"extra":true}`, 1},
	}
	for _, c := range ok {
		p, issues := ParseParams(json.RawMessage(c.raw))
		if len(issues) > 0 || p.ProductID != id || p.Limit != c.limit {
			t.Errorf("%s: %+v %+v", c.raw, p, issues)
		}
	}
	bad := map[string]string{
		`{}`:                                        "required",
		`null`:                                      "required",
		`{"productId":42}`:                          "string",
		`{"productId":"nope"}`:                      "stringPattern",
		`{"productId":"` + id + `","limit":9}`:      "numberMax",
		`{"productId":"` + id + `","limit":0}`:      "numberMin",
		`{"productId":"` + id + `","limit":2.5}`:    "numberInteger",
		`{"productId":"` + id + `","limit":"many"}`: "number",
		`[1]`: "object",
	}
	for raw, typ := range bad {
		_, issues := ParseParams(json.RawMessage(raw))
		if len(issues) != 1 || issues[0].Type != typ {
			t.Errorf("%s: %+v, want one %s", raw, issues, typ)
		}
	}
}
