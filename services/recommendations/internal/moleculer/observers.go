package moleculer

// Observers combines several observers into one.
type Observers []Observer

func (os Observers) ActionStarted(call *Call) func(error) {
	ends := make([]func(error), 0, len(os))
	for _, o := range os {
		ends = append(ends, o.ActionStarted(call))
	}
	return func(err error) {
		for _, end := range ends {
			end(err)
		}
	}
}

func (os Observers) EventStarted(event *Call, group string) func(error) {
	ends := make([]func(error), 0, len(os))
	for _, o := range os {
		ends = append(ends, o.EventStarted(event, group))
	}
	return func(err error) {
		for _, end := range ends {
			end(err)
		}
	}
}
