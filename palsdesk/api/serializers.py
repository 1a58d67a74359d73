"""Serializer bases shared by every app's API."""

from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a misspelt optional field is reported instead of silently dropped."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [f"'{name}' is not a field here. Known fields: {', '.join(sorted(self.fields))}."]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)
