"""Topic requests: customers ask for and upvote session topics; staff plan them."""
