package moleculer

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// MetricsObserver counts each action call and event delivery under the names
// and labels moleculer's Prometheus reporter uses (moleculer_request_total
// {service, action, caller, type} and so on), so one dashboard and one query
// cover Node and Go nodes.
type MetricsObserver struct {
	requests, requestErrors, events, eventErrors *prometheus.CounterVec
	active                                       *prometheus.GaugeVec
}

// NewMetricsObserver registers the metrics with reg.
func NewMetricsObserver(reg prometheus.Registerer) *MetricsObserver {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
		reg.MustRegister(c)
		return c
	}
	o := &MetricsObserver{
		requests:      counter("moleculer_request_total", "Number of requests", "service", "action", "caller", "type"),
		requestErrors: counter("moleculer_request_error_total", "Number of request errors", "service", "action", "errorName", "errorCode", "errorType"),
		events:        counter("moleculer_event_received_total", "Number of received events", "event", "group"),
		eventErrors:   counter("moleculer_event_received_error_total", "Number of failed event handlers", "event", "group"),
		active: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "moleculer_request_active", Help: "Number of active requests"},
			[]string{"service", "action"}),
	}
	reg.MustRegister(o.active)
	return o
}

func (o *MetricsObserver) ActionStarted(call *Call) func(error) {
	svc := serviceOf(call.Name)
	o.requests.WithLabelValues(svc, call.Name, call.Caller, "remote").Inc()
	active := o.active.WithLabelValues(svc, call.Name)
	active.Inc()
	return func(err error) {
		active.Dec()
		if err != nil {
			e := AsError(err)
			o.requestErrors.WithLabelValues(svc, call.Name, e.Name, fmt.Sprint(e.Code), e.Type).Inc()
		}
	}
}

func (o *MetricsObserver) EventStarted(event *Call, group string) func(error) {
	o.events.WithLabelValues(event.Name, group).Inc()
	return func(err error) {
		if err != nil {
			o.eventErrors.WithLabelValues(event.Name, group).Inc()
		}
	}
}
