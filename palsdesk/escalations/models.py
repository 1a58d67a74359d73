"""Cases taken further: PHSO stages, requests and recommendations, CQC enquiries, joint complaints and contributions."""
