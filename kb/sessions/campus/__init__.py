"""The Campus offer: a training discount code per organisation with the plan."""
