package optim

// AnnealLR is the reference's only learning-rate schedule: a linear decay
// from lr to zero over learningSteps updates, without warm-up
// (train_util._anneal_lr, spec 4.2). update is the 0-based global update
// index s = step + resume_step, so the first update uses the full lr and
// update s uses lr·(1 − s/learningSteps). learningSteps ≤ 0 means no anneal.
//
// The arithmetic is Python's: float64 throughout, the division first.
func AnnealLR(lr float64, update, learningSteps int) float64 {
	if learningSteps <= 0 {
		return lr
	}
	fracDone := float64(update) / float64(learningSteps)
	return lr * (1 - fracDone)
}
