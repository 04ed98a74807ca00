"""What a run reads: the scenario and its parameters, the map, the timeline, the historical targets."""
