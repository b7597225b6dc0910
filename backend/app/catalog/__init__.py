"""The feature catalogue an admin keeps: which features are core on which plans, and which event
names belong to each (the usage score's feature adoption reads it)."""
